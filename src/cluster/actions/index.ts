export { ActionService } from './action-service.js';
export { deliverMgmt, getBlock } from './block-actions.js';
export { currentCapacity, type InstanceDoc, instancesOf, reserve } from './instance-ledger.js';
export { instanceView, launchMany, teardownInstance } from './instance-lifecycle.js';
export { JobGrants } from './job-grants.js';
export {
  type BlockMetrics,
  BlockMetricsSchema,
  blockMetricsOf,
  type ClusterMetrics,
  ClusterMetricsSchema,
  clusterMetrics,
  clusterMetricsOf,
} from './metrics.js';
export { isActionName, type ParsedAction, parseAction, parseWith } from './parse.js';
export { type ActionPorts, BLOCKS, INIT_CONTAINERS, INSTANCES, type Json, type PolicyRef } from './ports.js';
export {
  ACTION_NAMES,
  ACTION_SCHEMAS,
  type ActionData,
  type ActionName,
  AllocationItem,
  BlockEntryData,
  ScaleData,
} from './schemas.js';
