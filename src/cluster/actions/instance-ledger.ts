import type { NodeInfo, NodeInventory } from '../../infra/index.js';
import type { DocumentReader, DocumentStore } from '../../store/document-store.js';
import {
  Capacity,
  type Placement,
  type PlacementSource,
  type Requirements,
  type Reservation,
  validatePlacement,
} from '../allocator/index.js';
import { INSTANCES } from './ports.js';

/** The stored record of an instance; its node and GPUs are the reservation. */
export interface InstanceDoc {
  [key: string]: unknown;
  id: string;
  block_id: string;
  node_id: string;
  gpus: number[];
  vcpus: number;
  memory_mb: number;
  status: 'starting' | 'running' | 'failed';
  url?: string;
  created_at: string;
}

export const toReservation = (d: InstanceDoc): Reservation => ({
  instanceId: d.id,
  blockId: d.block_id,
  nodeId: d.node_id,
  gpus: d.gpus,
  vcpus: d.vcpus,
  memoryMb: d.memory_mb,
});

/** Current capacity: the backend's nodes minus every stored reservation. */
export async function currentCapacity(infra: NodeInventory, reader: DocumentReader): Promise<Capacity> {
  const [nodes, docs] = await Promise.all([infra.listNodes(), reader.find<InstanceDoc>(INSTANCES)]);
  return new Capacity(nodes, docs.map(toReservation));
}

/**
 * Reserves a placement atomically: inside one store transaction the reservations are read again
 * and the placement re-checked, so two concurrent actions can never take the same GPU (the loser
 * gets `invalid_placement` with reason `gpu_taken`). `node` is the chosen node as the caller's
 * capacity saw it (undefined when unknown: the check then fails with `unknown_node`).
 */
export async function reserve(
  store: DocumentStore,
  node: NodeInfo | undefined,
  ids: { instanceId: string; blockId: string },
  req: Requirements,
  placement: Placement,
  source: PlacementSource,
): Promise<InstanceDoc> {
  return store.transaction(async (tx) => {
    // Only the chosen node matters: the check (and the lock's work) does not grow with the cluster.
    const docs = await tx.find<InstanceDoc>(INSTANCES, { node_id: placement.node_id });
    const capacity = new Capacity(node ? [node] : [], docs.map(toReservation));
    const checked = validatePlacement(capacity, req, placement, source);
    const doc: InstanceDoc = {
      id: ids.instanceId,
      block_id: ids.blockId,
      node_id: checked.node_id,
      gpus: checked.gpus,
      vcpus: req.vcpus,
      memory_mb: req.memoryMb,
      status: 'starting',
      created_at: new Date().toISOString(),
    };
    return tx.insert(INSTANCES, doc);
  });
}

export async function release(store: DocumentStore, instanceId: string): Promise<void> {
  await store.delete(INSTANCES, { id: instanceId });
}

export function instancesOf(reader: DocumentReader, blockId: string): Promise<InstanceDoc[]> {
  return reader.find<InstanceDoc>(INSTANCES, { block_id: blockId }, { sort: { created_at: 1 } });
}
