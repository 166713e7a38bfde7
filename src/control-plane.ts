import fs from 'node:fs';
import {
  allowAllGate,
  Blocks,
  type ClusterContext,
  clusterSeed,
  ensureClusterEntry,
  noClusterMetrics,
} from './cluster/index.js';
import type { Config } from './config.js';
import { Manager, runnable } from './lifecycle/index.js';
import { type DocumentStore, openStore } from './store/index.js';

/**
 * The composition root: every long-lived component of one Governor process, wired once.
 * HTTP routes and the CLI reach the domain only through this object.
 */
export interface ControlPlane {
  readonly config: Config;
  readonly manager: Manager;
  readonly store: DocumentStore;
  /** This controller's cluster entry and nodes (store, cluster id, pre-check gate, metrics). */
  readonly cluster: ClusterContext;
  readonly blocks: Blocks;
}

export async function createControlPlane(config: Config): Promise<ControlPlane> {
  const manager = new Manager();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore(config);
  // First runnable: started first, stopped last, after everything that uses the store.
  manager.add(
    runnable(
      'store',
      async () => {},
      () => store.close(),
    ),
  );
  try {
    const entry = await ensureClusterEntry(store, clusterSeed(config));
    const cluster: ClusterContext = {
      store,
      clusterId: entry.id,
      gate: allowAllGate,
      metrics: noClusterMetrics,
    };
    const blocks = new Blocks(store);
    await blocks.init();
    return { config, manager, store, cluster, blocks };
  } catch (err) {
    await store.close();
    throw err;
  }
}
