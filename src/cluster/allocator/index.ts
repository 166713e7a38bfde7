export { Capacity, type GpuUsage, type NodeState } from './capacity.js';
export {
  allocate,
  describeRejections,
  dryRun,
  type Ranking,
  rank,
  reservationFor,
} from './default-allocator.js';
export { requirementsFromBlock } from './requirements.js';
export type { Placement, RejectReason, Requirements, Reservation, SelectionScoreData } from './types.js';
export { GpuId, PlacementAnswer, type PlacementSource, validatePlacement } from './validate.js';
