/**
 * The InfraBackend seam: what the cluster controller asks of infrastructure. Implementations live
 * in subfolders (`local/` now, `kubernetes/` later) and all pass
 * `test/conformance/infra-backend.suite.ts`. Nothing here may assume processes, files or one host.
 */

/** One GPU of a node; `id` is the device index the instance sees (`CUDA_VISIBLE_DEVICES`). */
export interface GpuInfo {
  id: number;
  memoryMb: number;
  modelName?: string;
}

/** A node with its capacity and current health, as the allocator consumes it. */
export interface NodeInfo {
  id: string;
  healthy: boolean;
  /** Why the node is unhealthy, when it is. */
  reason?: string;
  gpus: GpuInfo[];
  vcpus: number;
  memoryMb: number;
}

export interface NodeInventory {
  /** The nodes as they are now; the objects may be shared, so callers must not mutate them. */
  listNodes(): Promise<NodeInfo[]>;
}

/** Where and how one instance runs: the allocator's decision plus what the instance must be told. */
export interface Assignment {
  blockId: string;
  instanceId: string;
  nodeId: string;
  gpus: number[];
  env: Record<string, string>;
  /**
   * Named ports the instance listens on; `0` lets the backend choose. The first one is the
   * instance's primary port, given to it as `PORT`.
   */
  ports: Record<string, number>;
}

/**
 * What to run: a container image (Kubernetes) and/or an explicit command (see `workload.ts` for how
 * a block entry maps to this and docs/infra.md for how the local backend reads `image`).
 */
export interface WorkloadSpec {
  image: string;
  command?: string[];
  env?: Record<string, string>;
}

/** `pending` until started, `running` after, then `stopped` (asked for) or `failed` (anything else). */
export type InstanceStatus = 'pending' | 'running' | 'stopped' | 'failed';

export interface InstanceInfo {
  instanceId: string;
  blockId: string;
  nodeId: string;
  gpus: number[];
  /** The ports actually assigned (never 0). */
  ports: Record<string, number>;
  status: InstanceStatus;
  /** Base URL of the primary port, e.g. `http://127.0.0.1:41234`. */
  url: string;
  startedAt: string;
  exitCode?: number | null;
  signal?: string | null;
  /** Why the instance failed, for people. */
  reason?: string;
}

export interface InstanceEvent {
  type: 'status';
  instance: InstanceInfo;
}

export interface ProbeResult {
  healthy: boolean;
  status?: number;
  error?: string;
}

export interface InstanceRunner {
  /** Starts one instance; resolves once it is running. Throws `conflict` for a duplicate instanceId. */
  start(assignment: Assignment, workload: WorkloadSpec): Promise<InstanceInfo>;
  /** Stops the instance and everything it started; resolves when it is gone. Unknown id → `not_found`. */
  stop(instanceId: string): Promise<void>;
  get(instanceId: string): Promise<InstanceInfo | undefined>;
  list(filter?: { blockId?: string }): Promise<InstanceInfo[]>;
  /** The instance's output so far (stdout and stderr interleaved), at most the last `tailBytes`. */
  logs(instanceId: string, options?: { tailBytes?: number }): Promise<string>;
  /** One HTTP GET of `path` (default `/health`) on the primary port; 2xx is healthy. */
  probe(instanceId: string, options?: { path?: string; timeoutMs?: number }): Promise<ProbeResult>;
  /** Status changes as they happen (a crash is a `failed` event); returns the unsubscribe. */
  watch(listener: (event: InstanceEvent) => void): () => void;
}

export interface JobSpec {
  jobId: string;
  nodeId?: string;
  workload: WorkloadSpec;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface JobResult {
  jobId: string;
  exitCode: number | null;
  /** Output (stdout and stderr interleaved), truncated to the last 64 KiB. */
  output: string;
  timedOut: boolean;
}

export interface JobRunner {
  /** Runs a one-shot job to completion (init containers, §6). A non-zero exit is a result, not an error. */
  runJob(spec: JobSpec): Promise<JobResult>;
}

export interface InfraCapabilities {
  kind: string;
  /** GPU ids map to real devices (false for logical nodes). */
  realGpus: boolean;
  /** Instances keep running when the controller restarts. */
  survivesRestart: boolean;
}

export interface InfraBackend extends NodeInventory, InstanceRunner, JobRunner {
  capabilities(): InfraCapabilities;
  /** Stops every instance and job this backend started. */
  close(): Promise<void>;
}
