export { BLOCKS, Blocks } from './blocks.js';
export { clusterSeed, thisMachine } from './bootstrap.js';
export {
  CLUSTERS,
  type ClusterContext,
  type ClusterMetricsSource,
  ensureClusterEntry,
  getCluster,
  updateCluster,
} from './cluster-entry.js';
export { type MgmtRequest, MgmtRequestSchema, MgmtService } from './mgmt.js';
export { addNode, blocksOnNode, removeNode } from './nodes.js';
export { allowAllGate, type PreCheckAction, type PreCheckGate } from './precheck-gate.js';
export {
  interpretResult,
  PolicyPreCheckGate,
  PRECHECK_ACTIONS,
  PRECHECK_CONFIG_KEY,
  type PreCheckEvaluator,
  type PreCheckMap,
  type PreCheckOutcome,
  preCheckMap,
  updatePreCheckMap,
} from './prechecks.js';
export * from './schemas.js';
export { clusterTotals, withTotals } from './totals.js';
