import fs from 'node:fs';
import { type ActionPorts, ActionService, clusterMetrics, JobGrants } from './cluster/actions/index.js';
import {
  Blocks,
  type ClusterContext,
  clusterSeed,
  ensureClusterEntry,
  getCluster,
  MgmtService,
  PolicyPreCheckGate,
} from './cluster/index.js';
import { VdagService } from './cluster/vdag/index.js';
import type { Config } from './config.js';
import { type InfraBackend, LocalBackend, nodesFromCluster } from './infra/index.js';
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
  /** Where instances run: the local backend (child processes on the cluster entry's logical nodes). */
  readonly infra: InfraBackend;
  /** `/executeAction`: block infrastructure actions. */
  readonly actions: ActionService;
  /** `/vdag-controller`: vDAG controllers as placeholder processes on the same backend. */
  readonly vdag: VdagService;
  /** `/mgmt`: management commands to block instances (pre-check `block_mgmt`) or the cluster (`cluster_mgmt`). */
  readonly mgmt: MgmtService;
  /**
   * Tells the domain the base URL this controller is reached at (init-container jobs call back on
   * it as `GOVERNOR_URL`); the HTTP face calls it once it listens.
   */
  advertise(url: string): void;
  /** The scoped tokens of running init-container jobs, which the HTTP auth accepts for their callbacks. */
  readonly jobGrants: JobGrants;
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
    // Pre-checks run through the executor, so each one is a decision-log entry (caller `precheck:<hook>`).
    const gate = new PolicyPreCheckGate({ store, clusterId: entry.id }, async (uri, input, caller) => {
      const req = { policy_rule_uri: uri, input_data: input };
      return (await policies.executor.execute(policies.executor.executorId, req, caller)).result;
    });
    const cluster: ClusterContext = {
      store,
      clusterId: entry.id,
      gate,
      // Read on demand, once requests arrive: the backend below exists by then.
      metrics: () => clusterMetrics(infra, store),
    };
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
    // Logical nodes follow the cluster entry (add-node / remove-node change them).
    const infra = new LocalBackend({
      nodes: async () => nodesFromCluster(await getCluster(cluster)),
      dataDir: config.dataDir,
    });
    // Stops before the policy runtimes and the store: instances are gone before what they used.
    manager.add(
      runnable(
        'infra',
        async () => {},
        () => infra.close(),
      ),
    );
    let advertisedUrl: string | undefined;
    const jobGrants = new JobGrants();
    const advertise = (url: string) => {
      advertisedUrl = url;
    };
    const ports: ActionPorts = {
      store,
      infra,
      cluster: () => getCluster(cluster),
      precheck: (hook, input) => cluster.gate.check(hook as never, input),
      evaluatePolicy: async (ref, input) => {
        const req = { policy_rule_uri: ref.policyRuleURI, input_data: input, parameters: ref.parameters };
        return (
          await policies.executor.execute(policies.executor.executorId, req, 'cluster:resourceAllocator')
        ).result;
      },
      // An action answers once its instances serve /health (spec §3.7: every instance does).
      readyTimeoutMs: 30_000,
      initJobTimeoutMs: config.limits.initJobTimeoutMs,
      controllerUrl: () => advertisedUrl,
      grants: jobGrants,
    };
    const actions = new ActionService(ports);
    await actions.init();
    const vdag = new VdagService(ports);
    const mgmt = new MgmtService(ports);
    return {
      config,
      manager,
      store,
      cluster,
      blocks,
      policyRuntimes,
      policies,
      infra,
      actions,
      vdag,
      mgmt,
      advertise,
      jobGrants,
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
