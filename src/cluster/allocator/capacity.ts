import type { NodeInfo } from '../../infra/index.js';
import type { Reservation } from './types.js';

/** One node's remaining room. GPU arrays are indexed by position in `node.gpus`. */
export interface NodeState {
  node: NodeInfo;
  gpuTaken: boolean[];
  /** Free memory per GPU: its total minus what metrics say is in use. */
  gpuFreeMb: number[];
  freeGpus: number;
  vcpusFree: number;
  memoryFreeMb: number;
}

/** Position of GPU `id` in `node.gpus`, or -1 (a node has a handful of GPUs: a scan beats a Map). */
export function gpuPosition(s: NodeState, id: number): number {
  const gpus = s.node.gpus;
  for (let i = 0; i < gpus.length; i++) if (gpus[i]!.id === id) return i;
  return -1;
}

/** Measured GPU memory in use, per node id, per GPU id (from node metrics, when there are any). */
export type GpuUsage = Record<string, Record<number, number>>;

/**
 * The cluster's remaining capacity: nodes minus reservations. Pure data, updated in place by
 * `reserve`/`release` so a run of placements does not rebuild it each time.
 */
export class Capacity {
  readonly states: NodeState[];
  /** Reservations held, on known nodes or not (the metrics' instance count). */
  reservations = 0;
  private readonly byId = new Map<string, NodeState>();

  constructor(nodes: NodeInfo[], reservations: Reservation[] = [], gpuUsage: GpuUsage = {}) {
    this.states = nodes.map((node) => {
      const used = gpuUsage[node.id] ?? {};
      const state: NodeState = {
        node,
        gpuTaken: node.gpus.map(() => false),
        gpuFreeMb: node.gpus.map((g) => g.memoryMb - (used[g.id] ?? 0)),
        freeGpus: node.gpus.length,
        vcpusFree: node.vcpus,
        memoryFreeMb: node.memoryMb,
      };
      this.byId.set(node.id, state);
      return state;
    });
    for (const r of reservations) this.reserve(r);
  }

  get(nodeId: string): NodeState | undefined {
    return this.byId.get(nodeId);
  }

  /** Takes the reservation's GPUs, vCPUs and memory (reservations on unknown nodes are ignored). */
  reserve(r: Reservation): void {
    this.apply(r, true);
  }

  release(r: Reservation): void {
    this.apply(r, false);
  }

  private apply(r: Reservation, take: boolean): void {
    this.reservations += take ? 1 : -1;
    const s = this.byId.get(r.nodeId);
    if (!s) return;
    const sign = take ? 1 : -1;
    for (const id of r.gpus) {
      const i = gpuPosition(s, id);
      if (i < 0 || s.gpuTaken[i] === take) continue;
      s.gpuTaken[i] = take;
      s.freeGpus -= sign;
    }
    s.vcpusFree -= sign * r.vcpus;
    s.memoryFreeMb -= sign * r.memoryMb;
  }
}
