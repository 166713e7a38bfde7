import { GovernorError, isGovernorError, notFound } from '../../errors/index.js';
import { initWorkloadFromBlock, workloadFromBlock } from '../../infra/index.js';
import { requirementsFromBlock } from '../allocator/index.js';
import { type InitRun, runInitContainer, tryInitContainer } from './init-job.js';
import { currentCapacity, type InstanceDoc, instancesOf } from './instance-ledger.js';
import { instanceView, launchMany, teardownInstance } from './instance-lifecycle.js';
import { blockMetricsOf, clusterMetrics } from './metrics.js';
import { parseAction } from './parse.js';
import { decideDryRun } from './placement.js';
import { type ActionPorts, BLOCKS, INIT_CONTAINERS, type Json } from './ports.js';
import type { ActionData } from './schemas.js';

export async function getBlock(ports: ActionPorts, blockId: string): Promise<Json> {
  const block = await ports.store.get(BLOCKS, blockId);
  if (!block) throw notFound('block', blockId);
  return block;
}

/** A pre-check may rewrite the input; what comes back must still be valid for the action. */
export function recheck<A extends 'create_block' | 'scale' | 'parameter_update'>(
  action: A,
  hook: string,
  rewritten: unknown,
): ActionData<A> {
  try {
    return parseAction(action, rewritten).data as ActionData<A>;
  } catch (err) {
    throw new GovernorError(
      'policy_invalid_result',
      `the ${hook} pre-check rewrote the input into an invalid one`,
      {
        hook,
        cause: isGovernorError(err) ? err.toJSON() : String(err),
      },
    );
  }
}

async function conflictWithCurrent(ports: ActionPorts, blockId: string): Promise<GovernorError> {
  const current = await ports.store.get(BLOCKS, blockId);
  const instances = await instancesOf(ports.store, blockId);
  return new GovernorError('conflict', `block '${blockId}' already exists`, {
    block_id: blockId,
    current: { minInstances: current?.minInstances, instances: instances.map(instanceView) },
  });
}

/**
 * create_block: pre-check `add_block`, store the entry, run the init container (spec §6) if the
 * component has one, then start `minInstances`: instances start after the init container's `finish`
 * is in `blockInitData.initContainer`. All or nothing: on failure the entry is deleted, and an init
 * container that did its work is run again with `operating_mode=delete` to undo it (the error's
 * `details.init_container` tells how that went).
 */
export async function createBlock(ports: ActionPorts, data: ActionData<'create_block'>) {
  if (await ports.store.get(BLOCKS, data.id)) throw await conflictWithCurrent(ports, data.id);
  const cluster = await ports.cluster();
  const checked = await ports.precheck('add_block', {
    block_data: data,
    cluster_data: cluster,
    cluster_metrics: await clusterMetrics(ports.infra, ports.store),
  });
  const block = recheck('create_block', 'add_block', checked.block_data);
  // Fail on a block that cannot run before anything is stored or started.
  workloadFromBlock(block);
  initWorkloadFromBlock(block);
  requirementsFromBlock(block);
  const stored = { ...block, cluster: block.cluster ?? cluster };
  try {
    await ports.store.insert(BLOCKS, stored);
  } catch (err) {
    if (isGovernorError(err) && err.code === 'conflict') throw await conflictWithCurrent(ports, block.id);
    throw err;
  }
  let init: InitRun | undefined;
  try {
    init = await runInitContainer(ports, stored, 'create');
    const ready = init ? await getBlock(ports, block.id) : stored;
    const instances = await launchMany(ports, ready, block.minInstances, { action: 'allocation' });
    return {
      block_id: block.id,
      instances: instances.map(instanceView),
      ...(init ? { init_container: init } : {}),
    };
  } catch (err) {
    if (init) {
      const undo = await tryInitContainer(ports, stored, 'delete');
      // Whoever reads the error must learn whether the install was undone.
      if (undo && isGovernorError(err)) err.details.init_container = undo;
    }
    await ports.store.delete(INIT_CONTAINERS, { id: block.id });
    await ports.store.delete(BLOCKS, { id: block.id });
    throw err;
  }
}

/**
 * remove_block: pre-check `remove_block`, stop every instance, release GPUs, run the init container
 * with `operating_mode=delete`, delete the entry. A failed delete run does not keep the block: the
 * answer's `init_container` says it failed and why, so the operator can clean up by hand.
 */
export async function removeBlock(ports: ActionPorts, data: ActionData<'remove_block'>) {
  const block = await getBlock(ports, data.block_id);
  const instances = await instancesOf(ports.store, data.block_id);
  await ports.precheck('remove_block', {
    block_data: block,
    cluster_data: await ports.cluster(),
    cluster_metrics: await clusterMetrics(ports.infra, ports.store),
    block_metrics: blockMetricsOf(instances),
    block_instance_nodes: [...new Set(instances.map((i) => i.node_id))],
  });
  await Promise.all(instances.map((i) => teardownInstance(ports, i.id)));
  const init = await tryInitContainer(ports, block, 'delete');
  await ports.store.delete(INIT_CONTAINERS, { id: data.block_id });
  await ports.store.delete(BLOCKS, { id: data.block_id });
  return {
    block_id: data.block_id,
    removed_instances: instances.map((i) => i.id),
    ...(init ? { init_container: init } : {}),
  };
}

/** dry_run: how well the block would fit here (spec §4.4); nothing is reserved or started. */
export async function dryRunBlock(ports: ActionPorts, data: ActionData<'dry_run'>) {
  const req = requirementsFromBlock(data.block);
  const capacity = await currentCapacity(ports.infra, ports.store);
  const payload = { block: data.block, cluster: await ports.cluster() };
  const instances = data.instances ?? Math.max(1, data.block.maxInstances);
  return { selection_score_data: await decideDryRun(ports, capacity, req, payload, instances) };
}

/** Sends one management command (`{action, data}`, spec §3.10) to an instance's `/mgmt`; never throws. */
export async function deliverMgmt(instance: InstanceDoc, body: { action: string; data: unknown }) {
  if (!instance.url) return { instance_id: instance.id, ok: false, error: 'instance has no address' };
  try {
    const res = await fetch(`${instance.url}/mgmt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const response = await res.json().catch(() => undefined);
    return { instance_id: instance.id, ok: res.ok, status: res.status, response };
  } catch (err) {
    return { instance_id: instance.id, ok: false, error: (err as Error).message };
  }
}

/**
 * parameter_update: pre-check `block_mgmt`, merge and store the parameters, then deliver them to
 * every running instance's `/mgmt` as `{action: "update", data}`; per-instance results say who got them.
 */
export async function updateParameters(ports: ActionPorts, data: ActionData<'parameter_update'>) {
  const block = await getBlock(ports, data.block_id);
  const checked = await ports.precheck('block_mgmt', {
    block_data: block,
    input: { action: 'parameter_update', payload: data },
  });
  const input = recheck('parameter_update', 'block_mgmt', (checked.input as Json | undefined)?.payload);
  const parameters = { ...((block.parameters as Json | undefined) ?? {}), ...input.parameters };
  await ports.store.updateOne(BLOCKS, { id: data.block_id }, { $set: { parameters } });
  const instances = (await instancesOf(ports.store, data.block_id)).filter((i) => i.status === 'running');
  const delivered = await Promise.all(
    instances.map((i) => deliverMgmt(i, { action: 'update', data: parameters })),
  );
  return { block_id: data.block_id, parameters, delivered };
}
