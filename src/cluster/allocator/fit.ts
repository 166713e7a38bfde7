import type { NodeState } from './capacity.js';
import type { RejectReason, Requirements } from './types.js';

/** Why the node cannot take one instance, or undefined when it can. */
export function rejectReason(s: NodeState, req: Requirements): RejectReason | undefined {
  if (!s.node.healthy) return 'unhealthy';
  if (s.freeGpus < req.gpus) return 'insufficient_gpus';
  if (req.gpus > 0 && eligibleGpuCount(s, req.minGpuFreeMemoryMb) < req.gpus)
    return 'insufficient_gpu_memory';
  if (s.vcpusFree < req.vcpus) return 'insufficient_vcpu';
  if (s.memoryFreeMb < req.memoryMb) return 'insufficient_memory';
  return undefined;
}

function eligibleGpuCount(s: NodeState, minFreeMb: number): number {
  let n = 0;
  for (let i = 0; i < s.gpuTaken.length; i++) if (!s.gpuTaken[i] && s.gpuFreeMb[i]! >= minFreeMb) n++;
  return n;
}

/**
 * Best fit: how full the node is after placing the instance, averaged over the resources the
 * block asks for (all of them when it asks for none), in 0..1. Higher packs tighter and keeps
 * large nodes free for large blocks.
 */
export function fitScore(s: NodeState, req: Requirements): number {
  const n = s.node;
  const asksNothing = req.gpus === 0 && req.vcpus === 0 && req.memoryMb === 0;
  // Summed inline (no arrays): this runs once per node per placement.
  let sum = 0;
  let dims = 0;
  if (n.gpus.length > 0 && (req.gpus > 0 || asksNothing)) {
    sum += (n.gpus.length - s.freeGpus + req.gpus) / n.gpus.length;
    dims++;
  }
  if (n.vcpus > 0 && (req.vcpus > 0 || asksNothing)) {
    sum += (n.vcpus - s.vcpusFree + req.vcpus) / n.vcpus;
    dims++;
  }
  if (n.memoryMb > 0 && (req.memoryMb > 0 || asksNothing)) {
    sum += (n.memoryMb - s.memoryFreeMb + req.memoryMb) / n.memoryMb;
    dims++;
  }
  return dims === 0 ? 1 : Math.min(1, Math.max(0, sum / dims));
}

/** The GPUs to give: free ones with enough memory, the tightest fit first, then by id. */
export function pickGpus(s: NodeState, req: Requirements): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < s.gpuTaken.length; i++) {
    if (!s.gpuTaken[i] && s.gpuFreeMb[i]! >= req.minGpuFreeMemoryMb) candidates.push(i);
  }
  candidates.sort((a, b) => s.gpuFreeMb[a]! - s.gpuFreeMb[b]! || s.node.gpus[a]!.id - s.node.gpus[b]!.id);
  return candidates.slice(0, req.gpus).map((i) => s.node.gpus[i]!.id);
}
