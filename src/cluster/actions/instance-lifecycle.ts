import { randomBytes } from 'node:crypto';
import { isGovernorError } from '../../errors/index.js';
import { waitUntilHealthy, workloadFromBlock } from '../../infra/index.js';
import {
  type Capacity,
  type Placement,
  type PlacementSource,
  requirementsFromBlock,
  validatePlacement,
} from '../allocator/index.js';
import { currentCapacity, type InstanceDoc, release, reserve, toReservation } from './instance-ledger.js';
import { type AllocatorAction, decidePlacement } from './placement.js';
import { type ActionPorts, INSTANCES, type Json } from './ports.js';

export const newInstanceId = (blockId: string) => `${blockId}-${randomBytes(3).toString('hex')}`;

/** An explicit placement from the request, with the field it came from (for errors). */
export interface RequestedPlacement {
  placement: unknown;
  field: string;
}

export interface LaunchOptions {
  action: Exclude<AllocatorAction, 'dry_run'>;
  /** Extra allocator payload keys (`block_metrics`, `instance_id`, `pod_name`). */
  payload?: Json;
  requested?: RequestedPlacement;
  instanceId?: string;
  /** Extra environment for the instance. */
  env?: Record<string, string>;
}

/**
 * Places, reserves and starts one instance. If anything after the reservation fails, the
 * instance is stopped and the reservation released before the error propagates.
 */
export async function launchInstance(
  ports: ActionPorts,
  block: Json,
  options: LaunchOptions,
  /** A capacity already read by the caller (kept up to date with this reservation), else read now. */
  shared?: Capacity,
): Promise<InstanceDoc> {
  const blockId = String(block.id);
  const workload = workloadFromBlock(block);
  const req = requirementsFromBlock(block);
  const capacity = shared ?? (await currentCapacity(ports.infra, ports.store));
  let chosen: { placement: Placement; source: PlacementSource };
  if (options.requested) {
    const source: PlacementSource = { kind: 'request', field: options.requested.field };
    chosen = { placement: validatePlacement(capacity, req, options.requested.placement, source), source };
  } else {
    const payload = { block, cluster: await ports.cluster(), ...options.payload };
    chosen = await decidePlacement(ports, options.action, capacity, req, payload);
  }
  const instanceId = options.instanceId ?? newInstanceId(blockId);
  const node = capacity.get(chosen.placement.node_id)?.node;
  const reserved = await reserve(
    ports.store,
    node,
    { instanceId, blockId },
    req,
    chosen.placement,
    chosen.source,
  );
  capacity.reserve(toReservation(reserved));
  try {
    const info = await ports.infra.start(
      {
        blockId,
        instanceId,
        nodeId: chosen.placement.node_id,
        gpus: chosen.placement.gpus,
        env: options.env ?? {},
        ports: { http: 0 },
      },
      workload,
    );
    if (ports.readyTimeoutMs)
      await waitUntilHealthy(ports.infra, instanceId, { timeoutMs: ports.readyTimeoutMs });
    const running = await ports.store.updateOne<InstanceDoc>(
      INSTANCES,
      { id: instanceId },
      { $set: { status: 'running', url: info.url } },
    );
    return running!;
  } catch (err) {
    await teardownInstance(ports, instanceId);
    throw err;
  }
}

/** Launches `count` instances one after another (each placement sees the last); all or none. */
export async function launchMany(
  ports: ActionPorts,
  block: Json,
  count: number,
  options: LaunchOptions,
  requested: RequestedPlacement[] = [],
): Promise<InstanceDoc[]> {
  const started: InstanceDoc[] = [];
  // Read once: each reservation is added to it, and the store transaction re-checks every one.
  const capacity = count > 0 ? await currentCapacity(ports.infra, ports.store) : undefined;
  try {
    for (let i = 0; i < count; i++) {
      const r = requested[i];
      started.push(await launchInstance(ports, block, r ? { ...options, requested: r } : options, capacity));
    }
    return started;
  } catch (err) {
    await Promise.all(started.map((d) => teardownInstance(ports, d.id)));
    throw err;
  }
}

/** Stops the instance (if the backend still has it) and releases its reservation. */
export async function teardownInstance(ports: ActionPorts, instanceId: string): Promise<void> {
  try {
    await ports.infra.stop(instanceId);
  } catch (err) {
    if (!(isGovernorError(err) && err.code === 'not_found')) throw err;
  }
  await release(ports.store, instanceId);
}

/** The public view of an instance in action answers. */
export const instanceView = (d: InstanceDoc) => ({
  instance_id: d.id,
  node_id: d.node_id,
  gpus: d.gpus,
  status: d.status,
  ...(d.url ? { url: d.url } : {}),
});
