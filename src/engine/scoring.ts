/** The original's scores (spec §7), kept exactly so rankings match. */
import { RISK_FACTOR, type RiskLevel } from './actions.js';
import type { Entity } from './entities.js';

/** Falls as confidence rises (0.5 at confidence 1.0): odd, but the original's. */
export const benefitScore = (confidence: number): number => Math.min(1.5 - confidence, 1.0);

export function urgencyScore(e: Entity): number {
  let u = 0.5;
  if (e.health_state === 'critical') u = 1.0;
  else if (e.health_state === 'degraded') u = 0.8;
  if (e.entity_type === 'service' && typeof e.queue_depth === 'number') {
    if (e.queue_depth > 50) u = Math.max(u, 0.9);
    else if (e.queue_depth > 20) u = Math.max(u, 0.7);
  }
  return u;
}

export const priorityScore = (
  benefit: number,
  urgency: number,
  confidence: number,
  risk: RiskLevel,
): number => benefit * urgency * confidence * RISK_FACTOR[risk];
