import { GovernorError } from '../../errors/index.js';
import { getBlock, recheck } from './block-actions.js';
import { type InstanceDoc, instancesOf } from './instance-ledger.js';
import { instanceView, launchInstance, launchMany, teardownInstance } from './instance-lifecycle.js';
import { blockMetricsOf } from './metrics.js';
import type { ActionPorts, Json } from './ports.js';
import type { ActionData } from './schemas.js';

/** The named instances of the block, or `not_found` naming the first that is not one of them. */
function pick(instances: InstanceDoc[], ids: string[], blockId: string, field: string): InstanceDoc[] {
  return ids.map((id, i) => {
    const found = instances.find((d) => d.id === id);
    if (!found) {
      throw new GovernorError('not_found', `block '${blockId}' has no instance '${id}'`, {
        kind: 'instance',
        id,
        field: `${field}.${i}`,
      });
    }
    return found;
  });
}

function outOfBounds(block: Json, current: number, next: number): GovernorError {
  return new GovernorError(
    'conflict',
    `block '${block.id}' would have ${next} instances, outside ${block.minInstances}..${block.maxInstances}`,
    {
      block_id: block.id,
      current,
      requested: next,
      minInstances: block.minInstances,
      maxInstances: block.maxInstances,
    },
  );
}

/**
 * scale: pre-check `scale_block` (which may rewrite the payload), then add instances (placed by
 * `allocation_data` when given, else by the allocator with action `scale`) or remove the listed
 * ones, within minInstances..maxInstances.
 */
export async function scaleBlock(ports: ActionPorts, data: ActionData<'scale'>) {
  const block = await getBlock(ports, data.block_id);
  const checked = await ports.precheck('scale_block', { block_data: block, input: data });
  const input = recheck('scale', 'scale_block', checked.input);
  const instances = await instancesOf(ports.store, data.block_id);
  if (input.operation === 'downscale') {
    const victims = pick(instances, input.instances_list ?? [], data.block_id, 'data.instances_list');
    const next = instances.length - victims.length;
    if (next < Number(block.minInstances)) throw outOfBounds(block, instances.length, next);
    await Promise.all(victims.map((v) => teardownInstance(ports, v.id)));
    return {
      block_id: data.block_id,
      operation: input.operation,
      removed_instances: victims.map((v) => v.id),
    };
  }
  const requested = (input.allocation_data ?? []).map((a, i) => ({
    placement: { node_id: a.node_id, gpus: a.gpu_ids },
    field: `data.allocation_data.${i}`,
  }));
  const count = input.instances_count ?? requested.length;
  const next = instances.length + count;
  if (next > Number(block.maxInstances)) throw outOfBounds(block, instances.length, next);
  const added = await launchMany(
    ports,
    block,
    count,
    { action: 'scale', payload: { block_metrics: blockMetricsOf(instances) } },
    requested,
  );
  return { block_id: data.block_id, operation: input.operation, instances: added.map(instanceView) };
}

/** remove_instance: stop one instance and release its GPUs (no bound check: used on failures). */
export async function removeInstance(ports: ActionPorts, data: ActionData<'remove_instance'>) {
  await getBlock(ports, data.block_id);
  const [victim] = pick(
    await instancesOf(ports.store, data.block_id),
    [data.instance_id],
    data.block_id,
    'data',
  );
  await teardownInstance(ports, victim!.id);
  return { block_id: data.block_id, removed_instances: [data.instance_id] };
}

/**
 * reassign-instances: each listed instance is stopped, its GPUs released, and it is started again
 * under the same id where the allocator (action `reassignment`) now places it.
 */
export async function reassignInstances(ports: ActionPorts, data: ActionData<'reassign-instances'>) {
  const block = await getBlock(ports, data.block_id);
  const moving = pick(
    await instancesOf(ports.store, data.block_id),
    data.instances_list,
    data.block_id,
    'data.instances_list',
  );
  const moved = [];
  for (const old of moving) {
    await teardownInstance(ports, old.id);
    const block_metrics = blockMetricsOf(await instancesOf(ports.store, data.block_id));
    const payload = { block_metrics, instance_id: old.id, pod_name: old.id };
    const now = await launchInstance(ports, block, { action: 'reassignment', payload, instanceId: old.id });
    moved.push({
      instance_id: old.id,
      from: { node_id: old.node_id, gpus: old.gpus },
      to: instanceView(now),
    });
  }
  return { block_id: data.block_id, reassigned: moved };
}
