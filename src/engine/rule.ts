/** A compiled rule: everything parsed and checked at load, so evaluation does no parsing. */
import type { ActionType, RiskLevel } from './actions.js';
import type { Entity, WorkloadType } from './entities.js';
import type { Logic } from './logic.js';
import type { Precondition } from './precondition.js';
import type { Template } from './template.js';

/** The six scenario families and the workload types each matches (spec §5.1); `any` matches all. */
export const SCENARIO_FAMILIES: Record<string, readonly WorkloadType[] | 'all'> = {
  any: 'all',
  kubernetes_online_inference: ['online_inference'],
  llm_or_inference_serving: ['llm_serving', 'online_inference'],
  hpc_or_training: ['hpc_research', 'distributed_training'],
  managed_or_kserve_serving: ['online_inference', 'llm_serving'],
  batch: ['batch_inference'],
};

export interface Rule {
  rule_id: string;
  scenario_family: string;
  /** Null for `any`: every workload type matches. */
  workloads: ReadonlySet<string> | null;
  preconditions: Precondition[];
  required_signals: string[];
  signalReaders: Array<(e: Entity) => unknown>;
  action_type: ActionType;
  parameters: Record<string, unknown>;
  risk_level: RiskLevel;
  minimum_confidence: number;
  reason_template: string;
  expected_benefit_template: string;
  reason: Template;
  expected_benefit: Template;
  logic: Logic;
  /** Where the rule was defined. */
  source: { file: string; line: number | null };
}
