import { GovernorError } from '../../errors/index.js';
import {
  allocate,
  type Capacity,
  dryRun,
  type Placement,
  type PlacementSource,
  type Requirements,
  type SelectionScoreData,
  validatePlacement,
} from '../allocator/index.js';
import { clusterMetricsOf } from './metrics.js';
import type { Json, PolicyRef } from './ports.js';

export type AllocatorAction = 'dry_run' | 'allocation' | 'scale' | 'reassignment';

/** The block's own `resourceAllocator`, or undefined when it names none (the default decides). */
export function allocatorPolicy(block: Json): PolicyRef | undefined {
  const policies = (block.policies ?? {}) as Record<string, PolicyRef | undefined>;
  const ref = policies.resourceAllocator;
  return ref && typeof ref.policyRuleURI === 'string' && ref.policyRuleURI !== '' ? ref : undefined;
}

/**
 * The policy input of spec §4.4, plus `reserved` (GPU ids taken per node) beside the documented keys;
 * `cluster_metrics` describes the same capacity the answer is checked against.
 */
export function allocatorInput(action: AllocatorAction, capacity: Capacity, base: Json): Json {
  const reserved: Record<string, number[]> = {};
  for (const s of capacity.states) {
    const taken = s.node.gpus.filter((_, i) => s.gpuTaken[i]).map((g) => g.id);
    if (taken.length) reserved[s.node.id] = taken;
  }
  const healthy_nodes = capacity.states.filter((s) => s.node.healthy).map((s) => s.node.id);
  return {
    action,
    payload: { cluster_metrics: clusterMetricsOf(capacity), ...base, healthy_nodes, reserved },
  };
}

export interface Decider {
  evaluatePolicy(policy: PolicyRef, input: Json): Promise<unknown>;
}

/**
 * One instance's placement: the block's allocator policy when it has one (its answer checked
 * against the cluster), else the default allocator. Nothing is reserved here.
 */
export async function decidePlacement(
  ports: Decider,
  action: Exclude<AllocatorAction, 'dry_run'>,
  capacity: Capacity,
  req: Requirements,
  payload: Json,
): Promise<{ placement: Placement; source: PlacementSource }> {
  const block = payload.block as Json;
  const policy = allocatorPolicy(block);
  if (!policy) return { placement: allocate(capacity, req), source: { kind: 'policy', policy: 'default' } };
  const answer = await ports.evaluatePolicy(policy, allocatorInput(action, capacity, payload));
  const source: PlacementSource = { kind: 'policy', policy: policy.policyRuleURI };
  return { placement: validatePlacement(capacity, req, answer, source), source };
}

/** `dry_run` through the block's policy (its answer's shape and placement checked) or the default. */
export async function decideDryRun(
  ports: Decider,
  capacity: Capacity,
  req: Requirements,
  payload: Json,
  instances: number,
): Promise<SelectionScoreData> {
  const block = payload.block as Json;
  const policy = allocatorPolicy(block);
  if (!policy) return dryRun(capacity, req, instances);
  const answer = (await ports.evaluatePolicy(policy, allocatorInput('dry_run', capacity, payload))) as Json;
  const data = answer?.selection_score_data as Json | undefined;
  const score = data?.score;
  if (typeof score !== 'number' || score < 0 || score > 1) {
    throw new GovernorError(
      'policy_invalid_result',
      'dry_run must return selection_score_data.score in 0..1',
      {
        policy: policy.policyRuleURI,
        answer,
      },
    );
  }
  const source: PlacementSource = { kind: 'policy', policy: policy.policyRuleURI };
  const nodeInfo = data?.node_info;
  return {
    score,
    node_info: score > 0 && nodeInfo ? validatePlacement(capacity, req, nodeInfo, source) : null,
  };
}
