export type {
  Assignment,
  GpuInfo,
  InfraBackend,
  InfraCapabilities,
  InstanceEvent,
  InstanceInfo,
  InstanceRunner,
  InstanceStatus,
  JobResult,
  JobRunner,
  JobSpec,
  NodeInfo,
  NodeInventory,
  ProbeResult,
  WorkloadSpec,
} from './infra-backend.js';
export { type Interceptors, intercept } from './intercept.js';
export { LOCAL_IMAGE_PREFIX, LocalBackend, type LocalBackendOptions } from './local/index.js';
export { nodeFromNodeData, nodesFromCluster } from './node-data.js';
export { waitForInstance, waitUntilHealthy } from './wait.js';
export { initWorkloadFromBlock, workloadFromBlock } from './workload.js';
