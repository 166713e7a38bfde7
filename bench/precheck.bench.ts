/**
 * Pre-check overhead with a trivial Python policy (allows, returns the input): the gate alone
 * (map read from the cluster entry + evaluation through the executor + decision log), and
 * `update_cluster` end to end with and without its pre-check. Target: overhead <= 2 ms p99.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getCluster, updateCluster, updatePreCheckMap } from '../src/cluster/index.js';
import { loadConfig } from '../src/config.js';
import { createControlPlane } from '../src/control-plane.js';
import { report, round, timeCalls } from './report.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-bench-precheck-'));
const cp = await createControlPlane(
  loadConfig(
    { port: 0, dataDir, clusterConfig: path.join(here, '../examples/cluster/laptop-gpu-cluster.yaml') },
    {},
  ),
);
const files: Record<string, string> = {
  'function.py': fs.readFileSync(path.join(here, 'policies/trivial-py/function.py'), 'utf8'),
  'policy.yaml': 'name: bench.precheck\nversion: v1\nlanguage: python\nentry: function.py\n',
};
const { policy_rule_uri: uri } = await cp.policies.registry.create({
  name: 'bench.precheck',
  version: 'v1',
  files,
});

const block = {
  id: 'bench',
  tags: ['vision'],
  component: { containerRegistryInfo: { containerImage: 'local:./examples/blocks/echo-block/server.mjs' } },
  minInstances: 1,
  maxInstances: 3,
};
const addBlockInput = { block_data: block, cluster_data: await getCluster(cp.cluster), cluster_metrics: {} };
const gate = () => cp.cluster.gate.check('add_block', addBlockInput);
let n = 0;
const update = () => updateCluster(cp.cluster, { $set: { 'clusterMetadata.description': `run ${n++}` } });
const exists = (u: string) => cp.policies.registry.get(u);

const rows = [];
const row = (name: string, p: { p50: number; p99: number; mean: number }) =>
  rows.push({
    case: name,
    p50_ms: round(p.p50 / 1000, 3),
    p99_ms: round(p.p99 / 1000, 3),
    mean_ms: round(p.mean / 1000, 3),
  });

row('gate, no policy mapped (map read only)', await timeCalls(2000, gate, 200));
const noCheck = await timeCalls(1000, update, 100);
row('update_cluster without pre-check', noCheck);

await updatePreCheckMap(cp.cluster, { add_block: uri, update_cluster: uri }, exists);
const gated = await timeCalls(5000, gate, 2000);
row('gate, trivial Python policy (add_block)', gated);
const { executor } = cp.policies;
const req = { policy_rule_uri: uri, input_data: addBlockInput };
row(
  'executor alone, same policy and input',
  await timeCalls(2000, () => executor.execute(executor.executorId, req), 200),
);
const withCheck = await timeCalls(1000, update, 100);
row('update_cluster with trivial Python pre-check', withCheck);
rows.push({
  case: 'update_cluster overhead (with - without)',
  p50_ms: round((withCheck.p50 - noCheck.p50) / 1000, 3),
  // Percentiles do not subtract; the tail of the difference is the gate's own row above.
  p99_ms: '',
  mean_ms: round((withCheck.mean - noCheck.mean) / 1000, 3),
});

report('precheck', rows, { 'gate, trivial Python policy (add_block) p99_ms': '<= 2' });
await cp.policies.decisions.stop();
await cp.policyRuntimes.close();
await cp.store.close();
fs.rmSync(dataDir, { recursive: true, force: true });
