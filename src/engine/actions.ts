/**
 * The action catalogue: the seed's 14 action types with their documented risk (used as a rule's
 * default `risk_level`), plus the 9 the original's code has beyond them (spec §11.1): 23 in all.
 */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The original's priority factor per risk (spec §7). */
export const RISK_FACTOR: Record<RiskLevel, number> = { low: 1.0, medium: 0.7, high: 0.4, critical: 0.2 };

export interface ActionSpec {
  risk: RiskLevel;
  use: string;
  origin: 'seed' | 'code';
}

export const ACTIONS = {
  scale_replicas: { risk: 'medium', use: 'horizontal scaling', origin: 'seed' },
  adjust_batching: { risk: 'medium', use: 'batching or concurrency tuning', origin: 'seed' },
  rebalance_traffic: { risk: 'medium', use: 'traffic distribution', origin: 'seed' },
  trigger_canary_rollback: { risk: 'high', use: 'roll back a bad deployment', origin: 'seed' },
  quarantine_node: { risk: 'high', use: 'remove unhealthy hardware', origin: 'seed' },
  preempt_job: { risk: 'high', use: 'priority-based preemption', origin: 'seed' },
  enable_scale_to_zero: { risk: 'low', use: 'cost savings for idle services', origin: 'seed' },
  adjust_priority_or_quota: { risk: 'medium', use: 'fairness adjustments', origin: 'seed' },
  drain_and_replace_node: { risk: 'critical', use: 'node replacement', origin: 'seed' },
  adjust_resource_limits: { risk: 'medium', use: 'CPU, memory or GPU limits', origin: 'seed' },
  configure_autoscaler: { risk: 'medium', use: 'autoscaler parameters', origin: 'seed' },
  enable_spot_fallback: { risk: 'medium', use: 'cost optimisation', origin: 'seed' },
  adjust_checkpoint_frequency: { risk: 'low', use: 'training reliability', origin: 'seed' },
  recommend_no_action: { risk: 'low', use: 'safety fallback', origin: 'seed' },
  adjust_concurrency: { risk: 'medium', use: 'per-replica concurrency', origin: 'code' },
  shift_traffic: { risk: 'medium', use: 'move traffic between revisions', origin: 'code' },
  change_priority_or_qos: { risk: 'medium', use: 'scheduling priority or QoS class', origin: 'code' },
  move_workload_domain: { risk: 'high', use: 'move a workload to another scheduler domain', origin: 'code' },
  drain_or_avoid_node: { risk: 'high', use: 'drain a node or keep new work off it', origin: 'code' },
  disable_scale_to_zero: { risk: 'low', use: 'keep a service warm', origin: 'code' },
  increase_keep_warm_floor: { risk: 'low', use: 'raise the minimum warm replicas', origin: 'code' },
  decrease_keep_warm_floor: { risk: 'low', use: 'lower the minimum warm replicas', origin: 'code' },
  rollback_previous_action: { risk: 'medium', use: 'undo the previous action', origin: 'code' },
} as const satisfies Record<string, ActionSpec>;

export type ActionType = keyof typeof ACTIONS;
export const ACTION_TYPES = Object.keys(ACTIONS) as ActionType[];

export const CONTROL_MODES = ['recommend_with_approval', 'controlled_auto_act', 'observe_only'] as const;
export type ControlMode = (typeof CONTROL_MODES)[number];

/**
 * The original's approval rule (spec §7): approval unless the mode is controlled_auto_act, always for
 * high and critical risk, and always in observe_only (the Recommender forces it there).
 */
export function requiresApproval(mode: ControlMode, risk: RiskLevel): boolean {
  if (risk === 'high' || risk === 'critical') return true;
  return mode !== 'controlled_auto_act';
}
