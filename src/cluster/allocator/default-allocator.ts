import { GovernorError } from '../../errors/index.js';
import type { Capacity, NodeState } from './capacity.js';
import { fitScore, pickGpus, rejectReason } from './fit.js';
import {
  type Placement,
  REASON_LABELS,
  REJECT_REASONS,
  type RejectReason,
  type Requirements,
  type Reservation,
  type SelectionScoreData,
} from './types.js';

export interface Ranking {
  best: NodeState | undefined;
  score: number;
  rejections: Record<RejectReason, number>;
  total: number;
}

/** Filter then score every node; ties go to the node listed first, so results are stable. */
export function rank(capacity: Capacity, req: Requirements): Ranking {
  const rejections = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  let best: NodeState | undefined;
  let bestScore = -1;
  for (const s of capacity.states) {
    const reason = rejectReason(s, req);
    if (reason) {
      rejections[reason]++;
      continue;
    }
    const score = fitScore(s, req);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return { best, score: Math.max(0, bestScore), rejections, total: capacity.states.length };
}

/** "0/12 nodes: 7 insufficient GPU memory, 5 unhealthy", largest count first. */
export function describeRejections(r: Pick<Ranking, 'rejections' | 'total'>): string {
  const parts = REJECT_REASONS.filter((k) => r.rejections[k] > 0)
    .sort((a, b) => r.rejections[b] - r.rejections[a])
    .map((k) => `${r.rejections[k]} ${REASON_LABELS[k]}`);
  return `0/${r.total} nodes available${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** The built-in allocator: the best-fit node and its GPUs, or `allocation_failed` with the counts. */
export function allocate(capacity: Capacity, req: Requirements): Placement {
  const r = rank(capacity, req);
  if (!r.best) {
    throw new GovernorError('allocation_failed', describeRejections(r), {
      nodes: r.total,
      rejections: r.rejections,
      requirements: req,
    });
  }
  return { node_id: r.best.node.id, gpus: pickGpus(r.best, req) };
}

/** The reservation a placement makes for one instance. */
export function reservationFor(
  placement: Placement,
  req: Requirements,
  ids: { instanceId: string; blockId: string },
): Reservation {
  return {
    ...ids,
    nodeId: placement.node_id,
    gpus: placement.gpus,
    vcpus: req.vcpus,
    memoryMb: req.memoryMb,
  };
}

/**
 * `dry_run`: the share of `instances` (the docs suggest `maxInstances`) that would fit, placed one
 * after another, as a score in 0..1, with the first placement. Capacity is left as it was.
 */
export function dryRun(capacity: Capacity, req: Requirements, instances = 1): SelectionScoreData {
  const wanted = Math.max(1, Math.floor(instances));
  const held: Reservation[] = [];
  let first: Placement | null = null;
  try {
    for (let i = 0; i < wanted; i++) {
      const r = rank(capacity, req);
      if (!r.best) break;
      const placement = { node_id: r.best.node.id, gpus: pickGpus(r.best, req) };
      first ??= placement;
      const reservation = reservationFor(placement, req, { instanceId: `dry-run-${i}`, blockId: '' });
      capacity.reserve(reservation);
      held.push(reservation);
    }
  } finally {
    for (const r of held) capacity.release(r);
  }
  return { score: held.length / wanted, node_info: first };
}
