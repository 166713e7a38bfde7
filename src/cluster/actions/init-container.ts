import { getBlock } from './block-actions.js';
import { type ActionPorts, BLOCKS, INIT_CONTAINERS } from './ports.js';
import type { ActionData } from './schemas.js';

/**
 * init_create_status_update (spec §6): records the init container's latest stage per block as
 * `{id, block_data, status_data, status}`; on `finish` the stage output becomes the block's
 * `blockInitData.initContainer`, where every block service reads it.
 */
export async function initStatusUpdate(ports: ActionPorts, data: ActionData<'init_create_status_update'>) {
  const block = await getBlock(ports, data.block_id);
  const record = {
    id: data.block_id,
    block_data: block,
    status_data: data.status_data ?? {},
    status: data.status,
    updated_at: new Date().toISOString(),
  };
  await ports.store.transaction(async (tx) => {
    if (!(await tx.replace(INIT_CONTAINERS, record))) await tx.insert(INIT_CONTAINERS, record);
    if (data.status === 'finish') {
      await tx.updateOne(
        BLOCKS,
        { id: data.block_id },
        { $set: { 'blockInitData.initContainer': record.status_data } },
      );
    }
  });
  return { block_id: data.block_id, status: data.status };
}

/** query_init_container_data: the records matching a Mongo filter (all of them without one). */
export async function queryInitContainers(ports: ActionPorts, data: ActionData<'query_init_container_data'>) {
  return ports.store.find(INIT_CONTAINERS, data.query ?? {}, { sort: { id: 1 } });
}
