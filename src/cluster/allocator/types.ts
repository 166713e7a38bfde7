/** What one instance of a block needs (sizes in MB, like the cluster entry). */
export interface Requirements {
  gpus: number;
  /** Each assigned GPU must have at least this much free memory. */
  minGpuFreeMemoryMb: number;
  vcpus: number;
  memoryMb: number;
}

/** A placement held by a running (or starting) instance; GPUs are exclusive. */
export interface Reservation {
  instanceId: string;
  blockId: string;
  nodeId: string;
  gpus: number[];
  vcpus: number;
  memoryMb: number;
}

/** The allocator's answer, in the wire shape of spec §4.4. */
export interface Placement {
  node_id: string;
  gpus: number[];
}

/** The `dry_run` answer of spec §4.4; `node_info` is null when the score is 0. */
export interface SelectionScoreData {
  score: number;
  node_info: Placement | null;
}

/** Why a node cannot take an instance, checked in this order (the first that applies counts). */
export const REJECT_REASONS = [
  'unhealthy',
  'insufficient_gpus',
  'insufficient_gpu_memory',
  'insufficient_vcpu',
  'insufficient_memory',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REASON_LABELS: Record<RejectReason, string> = {
  unhealthy: 'unhealthy',
  insufficient_gpus: 'insufficient free GPUs',
  insufficient_gpu_memory: 'insufficient GPU memory',
  insufficient_vcpu: 'insufficient vCPU',
  insufficient_memory: 'insufficient memory',
};
