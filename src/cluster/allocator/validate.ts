import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { GovernorError } from '../../errors/index.js';
import { type Capacity, gpuPosition } from './capacity.js';
import type { Placement, Requirements } from './types.js';

/** GPU ids arrive as ints (gateway `gpu_ids: [0, 2]`) or numeric strings (`"gpus": ["0", "2"]`). */
export const GpuId = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+$' })]);
export const PlacementAnswer = Type.Object({
  node_id: Type.String({ minLength: 1 }),
  gpus: Type.Array(GpuId),
});
export type PlacementAnswer = Static<typeof PlacementAnswer>;

/** Who proposed the placement: a policy's bad shape is `policy_invalid_result`, a request's `bad_request`. */
export type PlacementSource = { kind: 'policy'; policy: string } | { kind: 'request'; field: string };

function invalid(reason: string, message: string, details: Record<string, unknown>): GovernorError {
  return new GovernorError('invalid_placement', message, { reason, ...details });
}

/**
 * Checks a placement someone else chose (an allocator policy, `allocation_data`) against the
 * cluster: the node exists and is healthy, each GPU exists on it, is not taken and is named once,
 * and there are at least as many as the block needs. vCPU and memory are the policy's call.
 */
export function validatePlacement(
  capacity: Capacity,
  req: Requirements,
  answer: unknown,
  source: PlacementSource,
): Placement {
  if (!Value.Check(PlacementAnswer, answer)) {
    const first = [...Value.Errors(PlacementAnswer, answer)][0];
    const message = `placement must be {node_id, gpus: [int]}: ${first?.message ?? 'wrong shape'} at '${first?.instancePath ?? ''}'`;
    throw source.kind === 'policy'
      ? new GovernorError('policy_invalid_result', message, { policy: source.policy, answer })
      : new GovernorError('bad_request', message, { field: `${source.field}${first?.instancePath ?? ''}` });
  }
  const from = source.kind === 'policy' ? { policy: source.policy } : { field: source.field };
  const placement: Placement = { node_id: answer.node_id, gpus: answer.gpus.map(Number) };
  const s = capacity.get(placement.node_id);
  if (!s)
    throw invalid('unknown_node', `unknown node '${placement.node_id}'`, {
      node_id: placement.node_id,
      ...from,
    });
  if (!s.node.healthy) {
    throw invalid('unhealthy_node', `node '${placement.node_id}' is unhealthy`, {
      node_id: placement.node_id,
      ...from,
    });
  }
  const seen = new Set<number>();
  for (const gpu of placement.gpus) {
    const i = gpuPosition(s, gpu);
    const where = { node_id: placement.node_id, gpu, ...from };
    if (i < 0) throw invalid('unknown_gpu', `node '${placement.node_id}' has no GPU ${gpu}`, where);
    if (seen.has(gpu)) throw invalid('duplicate_gpu', `GPU ${gpu} is named twice`, where);
    if (s.gpuTaken[i])
      throw invalid('gpu_taken', `GPU ${gpu} on '${placement.node_id}' is already taken`, where);
    seen.add(gpu);
  }
  if (placement.gpus.length < req.gpus) {
    throw invalid(
      'too_few_gpus',
      `the block needs ${req.gpus} GPUs, the placement gives ${placement.gpus.length}`,
      {
        node_id: placement.node_id,
        ...from,
      },
    );
  }
  return placement;
}
