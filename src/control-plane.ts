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
import { PolicyRuntimes } from './policy/index.js';
import { createPolicySystem, type PolicySystem } from './policy-system/index.js';
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
  /** Python worker pool, JS sandbox and trusted loader, under the configured limits. */
  readonly policyRuntimes: PolicyRuntimes;
  /** Registry, executor documents, the Type 2 executor and the decision log. */
  readonly policies: PolicySystem;
}

export interface ControlPlaneOptions {
  /** The executor id this process answers to; `default` for the embedded server. */
  executorId?: string;
}

export async function createControlPlane(
  config: Config,
  options: ControlPlaneOptions = {},
): Promise<ControlPlane> {
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
    const { policyTimeoutMs, pythonMemoryMb, jsMemoryMb, pythonWorkers } = config.limits;
    const policyRuntimes = new PolicyRuntimes({
      timeoutMs: policyTimeoutMs,
      pythonMemoryMb,
      jsMemoryMb,
      pythonWorkers,
    });
    const policies = createPolicySystem(store, policyRuntimes, {
      dataDir: config.dataDir,
      executorId: options.executorId,
    });
    // Stopped after the HTTP server (added later), so requests in flight can still evaluate
    // policies and log decisions; python workers start lazily, on the first load.
    manager.add(
      runnable(
        'policy-runtimes',
        async () => {},
        () => policyRuntimes.close(),
      ),
    );
    manager.add(
      runnable(
        'decision-log',
        async () => {},
        () => policies.decisions.stop(),
      ),
    );
    return { config, manager, store, cluster, blocks, policyRuntimes, policies };
  } catch (err) {
    await store.close();
    throw err;
  }
}
