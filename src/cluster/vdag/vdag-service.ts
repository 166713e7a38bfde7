import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GovernorError, notFound } from '../../errors/index.js';
import {
  type ActionPorts,
  clusterMetrics,
  clusterMetricsOf,
  currentCapacity,
  type InstanceDoc,
  instancesOf,
  instanceView,
  type Json,
  launchMany,
  parseWith,
  teardownInstance,
} from '../actions/index.js';
import { allocate } from '../allocator/index.js';
import { VDAG_ACTION_SCHEMAS, type VdagActionName, type VdagPayload } from './schemas.js';

export const VDAG_CONTROLLERS = 'vdag_controllers';
const PLACEHOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'placeholder.mjs');

interface ControllerDoc {
  [key: string]: unknown;
  id: string;
  vdag_controller_id: string;
  vdag_uri: string;
  config: Json;
  search_tags: string[];
  cluster_id: string;
  public_url: string;
  created_at: string;
}

/**
 * A replica runs like a block instance (placed, reserved, started, torn down by the same code),
 * from a block-shaped description whose command is the built-in placeholder process.
 */
function controllerBlock(id: string): Json {
  return {
    id: `vdag:${id}`,
    component: { containerRegistryInfo: { containerImage: 'governor/vdag-controller:placeholder' } },
    blockInitData: { command: [process.execPath, PLACEHOLDER] },
  };
}

/** `/vdag-controller`: create, remove, scale and list vDAG controllers (seed 002, spec §3.4). */
export class VdagService {
  constructor(private readonly ports: ActionPorts) {}

  execute(action: unknown, payload: unknown): Promise<unknown> {
    const p = parseWith(VDAG_ACTION_SCHEMAS, action, payload ?? {}, 'payload');
    const name = p.action as VdagActionName;
    if (name === 'create_controller') return this.create(p.data as VdagPayload<'create_controller'>);
    if (name === 'remove_controller') return this.remove(p.data as VdagPayload<'remove_controller'>);
    if (name === 'scale_controller') return this.scale(p.data as VdagPayload<'scale_controller'>);
    return this.list();
  }

  private replicas(id: string): Promise<InstanceDoc[]> {
    return instancesOf(this.ports.store, `vdag:${id}`);
  }

  private async view(doc: ControllerDoc) {
    return { ...doc, replicas: (await this.replicas(doc.id)).map(instanceView) };
  }

  private async get(id: string): Promise<ControllerDoc> {
    const doc = await this.ports.store.get<ControllerDoc>(VDAG_CONTROLLERS, id);
    if (!doc) throw notFound('vdag_controller', id);
    return doc;
  }

  private launch(doc: ControllerDoc, count: number, action: 'allocation' | 'scale') {
    const env = { VDAG_CONTROLLER_ID: doc.id, VDAG_URI: doc.vdag_uri };
    return launchMany(this.ports, controllerBlock(doc.id), count, { action, env });
  }

  /** Pre-check `add_vdag_controller` with the node the first replica would go to, then start the replicas. */
  private async create(payload: VdagPayload<'create_controller'>) {
    const id = payload.vdag_controller_id;
    if (await this.ports.store.get(VDAG_CONTROLLERS, id)) {
      throw new GovernorError('conflict', `vDAG controller '${id}' already exists`, {
        vdag_controller_id: id,
        current: await this.view(await this.get(id)),
      });
    }
    const replicas = payload.config.replicas ?? 1;
    const cluster = await this.ports.cluster();
    const capacity = await currentCapacity(this.ports.infra, this.ports.store);
    const first =
      replicas > 0
        ? allocate(capacity, { gpus: 0, minGpuFreeMemoryMb: 0, vcpus: 0, memoryMb: 0 })
        : undefined;
    const checked = await this.ports.precheck('add_vdag_controller', {
      vdag_data: payload,
      cluster_data: cluster,
      cluster_metrics: clusterMetricsOf(capacity),
      node_id: first?.node_id ?? '',
      input_data: {},
    });
    const vdag = parseWith(VDAG_ACTION_SCHEMAS, 'create_controller', checked.vdag_data, 'vdag_data')
      .data as VdagPayload<'create_controller'>;
    const host = ((cluster.config as Json | undefined)?.publicHostname as string | undefined) ?? '';
    const doc: ControllerDoc = {
      id,
      vdag_controller_id: id,
      vdag_uri: vdag.vdag_uri,
      config: { ...vdag.config, replicas },
      search_tags: vdag.search_tags ?? [],
      cluster_id: String(cluster.id ?? ''),
      public_url: host ? `http://${host}/${id}` : '',
      created_at: new Date().toISOString(),
    };
    await this.ports.store.insert(VDAG_CONTROLLERS, doc);
    try {
      await this.launch(doc, replicas, 'allocation');
    } catch (err) {
      await this.ports.store.delete(VDAG_CONTROLLERS, { id });
      throw err;
    }
    return this.view(doc);
  }

  private async remove(payload: VdagPayload<'remove_controller'>) {
    const doc = await this.get(payload.vdag_controller_id);
    const replicas = await this.replicas(doc.id);
    await this.ports.precheck('remove_vdag_controller', {
      vdag_data: doc,
      vdag_controller_data: { replicas: replicas.map(instanceView) },
      cluster_data: await this.ports.cluster(),
      cluster_metrics: await clusterMetrics(this.ports.infra, this.ports.store),
      node_id: replicas[0]?.node_id ?? '',
    });
    await Promise.all(replicas.map((r) => teardownInstance(this.ports, r.id)));
    await this.ports.store.delete(VDAG_CONTROLLERS, { id: doc.id });
    return { vdag_controller_id: doc.id, removed_replicas: replicas.map((r) => r.id) };
  }

  /** Adds replicas, or stops the newest ones, until there are `replicas`. */
  private async scale(payload: VdagPayload<'scale_controller'>) {
    const doc = await this.get(payload.vdag_controller_id);
    const current = await this.replicas(doc.id);
    if (payload.replicas > current.length) {
      await this.launch(doc, payload.replicas - current.length, 'scale');
    } else {
      const extra = current.slice(payload.replicas);
      await Promise.all(extra.map((r) => teardownInstance(this.ports, r.id)));
    }
    const updated = await this.ports.store.updateOne<ControllerDoc>(
      VDAG_CONTROLLERS,
      { id: doc.id },
      { $set: { 'config.replicas': payload.replicas } },
    );
    return this.view(updated ?? doc);
  }

  private async list() {
    const docs = await this.ports.store.find<ControllerDoc>(VDAG_CONTROLLERS, {}, { sort: { id: 1 } });
    return Promise.all(docs.map((d) => this.view(d)));
  }
}
