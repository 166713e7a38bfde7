/**
 * Evaluation: every rule against every entity through the five checks, then the original's scores,
 * approval per control mode, a stable id, and a deterministic ranking (priority, entity id, rule id).
 */
import { hash } from 'node:crypto';
import { type ControlMode, requiresApproval } from './actions.js';
import { type CheckResult, describeCheck, explainFired, runChecks } from './checks.js';
import type { Entity } from './entities.js';
import type { RuleSet } from './packs.js';
import type { Rule } from './rule.js';
import type { Evaluation, Recommendation } from './schemas.js';
import { benefitScore, priorityScore, urgencyScore } from './scoring.js';
import type { Thresholds } from './thresholds.js';
import { NO_TRACER, TraceCollector, type Tracer } from './tracer.js';

export interface EvaluateOptions {
  control_mode?: ControlMode;
  /** Record why every rule that did not fire was stopped (the `explain` output). */
  explain?: boolean;
  /** A custom tracer; `explain` uses a TraceCollector. */
  tracer?: Tracer;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Stable across runs and processes: the same entity and rule always give the same id. */
export function recommendationId(entityId: string, ruleId: string): string {
  return `rec-${hash('sha256', `${entityId}\0${ruleId}`).slice(0, 16)}`;
}

function recommend(
  e: Entity,
  rule: Rule,
  t: Thresholds,
  mode: ControlMode,
  checks: CheckResult[],
): Recommendation {
  const confidence = e.confidence_score;
  const benefit = benefitScore(confidence);
  const urgency = urgencyScore(e);
  return {
    recommendation_id: recommendationId(e.entity_id, rule.rule_id),
    entity_type: e.entity_type,
    entity_id: e.entity_id,
    recommended_action: { action_type: rule.action_type, parameters: rule.parameters },
    reason: rule.reason(e, rule.rule_id, t),
    expected_benefit: rule.expected_benefit(e, rule.rule_id, t),
    confidence_score: confidence,
    risk_level: rule.risk_level,
    requires_approval: requiresApproval(mode, rule.risk_level),
    benefit_score: benefit,
    urgency_score: urgency,
    priority_score: priorityScore(benefit, urgency, confidence, rule.risk_level),
    scope_size: 1,
    rule_id: rule.rule_id,
    explanation: { rule_id: rule.rule_id, checks },
  };
}

export function rank(recs: Recommendation[]): Recommendation[] {
  return recs.sort(
    (a, b) =>
      b.priority_score - a.priority_score ||
      byString(a.entity_id, b.entity_id) ||
      byString(a.rule_id, b.rule_id),
  );
}

export function evaluate(
  ruleSet: RuleSet,
  entities: readonly Entity[],
  opts: EvaluateOptions = {},
): Evaluation {
  const mode = opts.control_mode ?? 'recommend_with_approval';
  const tracer = opts.tracer ?? (opts.explain ? new TraceCollector() : NO_TRACER);
  const { rules, thresholds: t } = ruleSet;
  const recs: Recommendation[] = [];
  const silent: Entity[] = [];
  for (const e of entities) {
    const before = recs.length;
    if (tracer.enabled) tracer.entity(e);
    for (const rule of rules) {
      const stop = runChecks(e, rule, t);
      if (stop < 0) {
        const checks = explainFired(e, rule, t);
        recs.push(recommend(e, rule, t, mode, checks));
        if (tracer.enabled)
          tracer.event({ op: 'fire', entity: e, rule_id: rule.rule_id, check: stop, checks });
      } else if (tracer.enabled) {
        // Only the stopping check is described: it is the "why not", and keeps explain cheap.
        const checks = [describeCheck(stop, e, rule, t)];
        tracer.event({ op: 'stop', entity: e, rule_id: rule.rule_id, check: stop, checks });
      }
    }
    if (recs.length === before) silent.push(e);
  }
  const out: Evaluation = {
    recommendations: rank(recs),
    entities_without_recommendation: silent
      .map((e) => ({ entity_type: e.entity_type, entity_id: e.entity_id }))
      .sort((a, b) => byString(a.entity_id, b.entity_id)),
  };
  if (tracer instanceof TraceCollector) out.explain = tracer.traces();
  if (ruleSet.warnings.length > 0) out.warnings = ruleSet.warnings;
  return out;
}
