/**
 * The action service end to end on real parts: SQLite store, local backend running the echo
 * block as child processes, Python pre-check and allocator policies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ActionPorts,
  ActionService,
  BlockMetricsSchema,
  ClusterMetricsSchema,
  instancesOf,
  type Json,
} from '../../src/cluster/actions/index.js';
import { GovernorError } from '../../src/errors/index.js';
import { intercept, LocalBackend, type NodeInfo } from '../../src/infra/index.js';
import { type LocalPolicy, loadPolicy } from '../../src/policy/index.js';
import { SqliteStore } from '../../src/store/index.js';

const repo = path.resolve(import.meta.dirname, '../..');
const policyDir = (name: string) => path.join(repo, 'examples/policies', name);
const gpus = (n: number) => Array.from({ length: n }, (_, id) => ({ id, memoryMb: 16000 }));
const nodes: NodeInfo[] = [
  { id: 'node-a', healthy: true, gpus: gpus(2), vcpus: 8, memoryMb: 32000 },
  { id: 'node-b', healthy: true, gpus: gpus(4), vcpus: 16, memoryMb: 64000 },
];

const block = (id: string, over: Json = {}): Json => ({
  id,
  tags: ['demo'],
  component: { containerRegistryInfo: { containerImage: 'local:./examples/blocks/echo-block/server.mjs' } },
  policies: { resourceAllocator: { policyRuleURI: '', parameters: { gpus: 1 } } },
  minInstances: 2,
  maxInstances: 4,
  ...over,
});

interface Env {
  service: ActionService;
  store: SqliteStore;
  infra: LocalBackend;
  prechecks: Map<string, LocalPolicy>;
  ports: ActionPorts;
}

let env: Env;
const policies: LocalPolicy[] = [];

async function setup(wrap: (b: LocalBackend) => ActionPorts['infra'] = (b) => b): Promise<Env> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-actions-'));
  const store = new SqliteStore(path.join(dir, 'governor.db'));
  const infra = new LocalBackend({ nodes, dataDir: dir, baseDir: repo, graceMs: 500 });
  const prechecks = new Map<string, LocalPolicy>();
  const ports: ActionPorts = {
    store,
    infra: wrap(infra),
    cluster: async () => ({ id: 'cluster-1', nodes: { count: nodes.length } }),
    precheck: async (hook, input) => {
      const policy = prechecks.get(hook);
      if (!policy) return input;
      const result = (await policy.eval(input)) as { allowed: boolean; input_data: Json };
      if (!result.allowed) {
        throw new GovernorError('policy_denied', `${hook} denied`, {
          policy: policy.uri,
          reason: result.input_data,
        });
      }
      return result.input_data;
    },
    evaluatePolicy: async (ref, input) => {
      const p = await loadPolicy(policyDir(ref.policyRuleURI), { parameters: ref.parameters ?? {} });
      policies.push(p);
      return p.eval(input);
    },
    readyTimeoutMs: 10_000,
  };
  return { service: new ActionService(ports), store, infra, prechecks, ports };
}

afterEach(async () => {
  await env?.infra.close();
  await env?.store.close();
  await Promise.all(policies.splice(0).map((p) => p.close()));
  for (const p of env?.prechecks.values() ?? []) await p.close();
});

const run = (action: string, data: unknown) => env.service.execute(action, data) as Promise<Json>;
const placements = async (blockId: string) =>
  (await instancesOf(env.store, blockId)).map((i) => `${i.node_id}/${i.gpus.join(',')}`);

describe('cluster actions', () => {
  beforeEach(async () => {
    env = await setup();
  });

  it('creates a block with minInstances running instances on distinct GPUs', async () => {
    const r = await run('create_block', block('b1'));
    const instances = r.instances as Json[];
    expect(instances).toHaveLength(2);
    expect(new Set(await placements('b1')).size).toBe(2);
    for (const i of instances) expect((await env.infra.probe(String(i.instance_id))).healthy).toBe(true);
    expect(await env.store.get('blocks', 'b1')).toMatchObject({ id: 'b1', minInstances: 2 });
  });

  it('answers a second create of the same block with a conflict showing the current state', async () => {
    await run('create_block', block('b1'));
    await expect(run('create_block', block('b1'))).rejects.toMatchObject({
      code: 'conflict',
      details: { block_id: 'b1', current: { instances: expect.any(Array) } },
    });
    expect(await env.infra.list({ blockId: 'b1' })).toHaveLength(2);
  });

  it('scales up and down by instance id, within the bounds', async () => {
    await run('create_block', block('b1'));
    const up = await run('scale', { block_id: 'b1', operation: 'scale', instances_count: 2 });
    expect(up.instances).toHaveLength(2);
    expect(new Set(await placements('b1')).size).toBe(4);
    await expect(
      run('scale', { block_id: 'b1', operation: 'scale', instances_count: 1 }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const victim = String((up.instances as Json[])[0]!.instance_id);
    await run('scale', { block_id: 'b1', operation: 'downscale', instances_list: [victim] });
    expect(await env.infra.get(victim)).toBeUndefined();
    expect(await instancesOf(env.store, 'b1')).toHaveLength(3);
  });

  it('places scale-up instances where allocation_data says, refusing a taken GPU', async () => {
    await run('create_block', block('b1', { minInstances: 0 }));
    const r = await run('scale', {
      block_id: 'b1',
      operation: 'scale',
      allocation_data: [{ node_id: 'node-a', gpu_ids: [1] }],
    });
    expect(r.instances).toEqual([expect.objectContaining({ node_id: 'node-a', gpus: [1] })]);
    await expect(
      run('scale', {
        block_id: 'b1',
        operation: 'scale',
        allocation_data: [{ node_id: 'node-a', gpu_ids: [1] }],
      }),
    ).rejects.toMatchObject({ code: 'invalid_placement', details: { reason: 'gpu_taken' } });
    expect(await env.infra.list({ blockId: 'b1' })).toHaveLength(1);
  });

  it('reassigns an instance away from a failed node', async () => {
    await run('create_block', block('b1', { minInstances: 1 }));
    const [inst] = await instancesOf(env.store, 'b1');
    env.infra.setNodeHealth(inst!.node_id, false, 'down');
    const r = await run('reassign-instances', { block_id: 'b1', instances_list: [inst!.id] });
    const moved = (r.reassigned as Json[])[0]!;
    expect((moved.to as Json).node_id).not.toBe(inst!.node_id);
    expect((await env.infra.get(inst!.id))?.nodeId).toBe((moved.to as Json).node_id);
  });

  it('stores new parameters and delivers them to every running instance', async () => {
    await run('create_block', block('b1'));
    const r = await run('parameter_update', { block_id: 'b1', parameters: { threshold: 0.4 } });
    expect((r.delivered as Json[]).every((d) => d.ok)).toBe(true);
    for (const i of await instancesOf(env.store, 'b1')) {
      const res = await fetch(`${i.url}/mgmt`, {
        method: 'POST',
        body: JSON.stringify({ action: 'get_parameters' }),
      });
      expect(((await res.json()) as Json).parameters).toEqual({ threshold: 0.4 });
    }
    expect((await env.store.get('blocks', 'b1'))?.parameters).toEqual({ threshold: 0.4 });
  });

  it('removes a block: processes stopped, GPUs released, entry gone; a second remove is 404', async () => {
    await run('create_block', block('b1'));
    await run('remove_block', { block_id: 'b1' });
    expect(await env.infra.list()).toEqual([]);
    expect(await instancesOf(env.store, 'b1')).toEqual([]);
    await expect(run('remove_block', { block_id: 'b1' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('says why nothing fits and starts nothing', async () => {
    const big = block('big', {
      policies: { resourceAllocator: { policyRuleURI: '', parameters: { gpus: 8 } } },
    });
    await expect(run('create_block', big)).rejects.toMatchObject({
      code: 'allocation_failed',
      message: '0/2 nodes available: 2 insufficient free GPUs',
    });
    expect(await env.store.get('blocks', 'big')).toBeUndefined();
  });

  it('scores a dry run without reserving anything', async () => {
    const r = await run('dry_run', { block: block('b9', { maxInstances: 12 }) });
    expect(r.selection_score_data).toEqual({ score: 0.5, node_info: { node_id: 'node-a', gpus: [0] } });
    expect(await instancesOf(env.store, 'b9')).toEqual([]);
  });

  it('records init container stages and hands the finish output to the block', async () => {
    await run('create_block', block('b1', { minInstances: 0 }));
    await run('init_create_status_update', { block_id: 'b1', status: 'begin' });
    await run('init_create_status_update', {
      block_id: 'b1',
      status: 'finish',
      status_data: { inference_url: 'http://x' },
    });
    const found = (await run('query_init_container_data', {
      query: { status: 'finish' },
    })) as unknown as Json[];
    expect(found.map((f) => f.id)).toEqual(['b1']);
    expect((await env.store.get('blocks', 'b1'))?.blockInitData).toEqual({
      initContainer: { inference_url: 'http://x' },
    });
  });
});

describe('cluster actions with policies', () => {
  beforeEach(async () => {
    env = await setup();
  });

  it('lets a Python pre-check deny add_block for a block without a tag', async () => {
    env.prechecks.set('add_block', await loadPolicy(policyDir('precheck-require-tag')));
    await expect(run('create_block', block('untagged', { tags: [] }))).rejects.toMatchObject({
      code: 'policy_denied',
      details: { reason: { reason: 'block untagged has no tags' } },
    });
    expect(await env.infra.list()).toEqual([]);
    await run('create_block', block('tagged'));
  });

  it('lets a Python pre-check rewrite minInstances', async () => {
    env.prechecks.set(
      'add_block',
      await loadPolicy(policyDir('precheck-min-instances'), { parameters: { min_instances: 3 } }),
    );
    const r = await run('create_block', block('b1'));
    expect(r.instances).toHaveLength(3);
  });

  it('places instances where the block’s Python allocator says', async () => {
    const policiesOf = {
      resourceAllocator: {
        policyRuleURI: 'allocator-prefer-node',
        parameters: { node_id: 'node-b', gpus: 1 },
      },
    };
    await run('create_block', block('b1', { policies: policiesOf }));
    expect(await placements('b1')).toEqual(['node-b/0', 'node-b/1']);
  });

  it('refuses an allocator answer that names a missing node, starting nothing', async () => {
    const policiesOf = {
      resourceAllocator: { policyRuleURI: 'allocator-prefer-node', parameters: { gpus: 3 } },
    };
    // node-a (first healthy) has 2 GPUs: the policy's third GPU id does not exist there.
    await expect(run('create_block', block('b1', { policies: policiesOf }))).rejects.toMatchObject({
      code: 'invalid_placement',
      details: { reason: 'unknown_gpu' },
    });
    expect(await env.infra.list()).toEqual([]);
  });
});

describe('cluster actions roll back', () => {
  it('stops what it started and releases every GPU when a start fails half-way', async () => {
    let starts = 0;
    env = await setup((b) =>
      intercept(b, {
        start: () => {
          if (++starts === 2) throw new GovernorError('instance_start_failed', 'injected');
        },
      }),
    );
    await expect(run('create_block', block('b1'))).rejects.toMatchObject({ code: 'instance_start_failed' });
    expect(await env.infra.list()).toEqual([]);
    expect(await instancesOf(env.store, 'b1')).toEqual([]);
    expect(await env.store.get('blocks', 'b1')).toBeUndefined();
  });
});

describe('cluster actions tell policies the current metrics', () => {
  beforeEach(async () => {
    env = await setup();
  });

  it('shows add_block the GPUs an existing block already holds', async () => {
    const seen: Json[] = [];
    const precheck = env.ports.precheck;
    env.ports.precheck = async (hook, input) => {
      seen.push(input);
      return precheck(hook, input);
    };
    await run('create_block', block('b1'));
    await run('create_block', block('b2', { minInstances: 1 }));
    const free = seen.map((i) => (i.cluster_metrics as Json).cluster);
    expect(free).toMatchObject([
      { nodes: { total: 2, healthy: 2 }, gpu: { count: 6, free: 6, totalFreeMem: 96000 } },
      { gpu: { count: 6, free: 4, totalFreeMem: 64000, totalUsedMem: 32000 } },
    ]);
    expect(seen[1]!.cluster_metrics).toMatchObject({ instances: 2 });
    expect(Value.Check(ClusterMetricsSchema, seen[1]!.cluster_metrics)).toBe(true);
  });

  it('gives the allocator cluster metrics, and block metrics when it scales', async () => {
    const inputs: Json[] = [];
    env.ports.evaluatePolicy = async (_ref, input) => {
      inputs.push((input as Json).payload as Json);
      return { node_id: 'node-b', gpus: [inputs.length - 1] };
    };
    const policiesOf = { resourceAllocator: { policyRuleURI: 'recorder', parameters: { gpus: 1 } } };
    await run('create_block', block('b1', { policies: policiesOf, minInstances: 1 }));
    await run('scale', { block_id: 'b1', operation: 'scale', instances_count: 1 });
    expect(inputs[0]!.cluster_metrics).toMatchObject({ nodes: { 'node-b': { gpu: { free: 4 } } } });
    expect(inputs[1]).toMatchObject({
      cluster_metrics: { nodes: { 'node-b': { gpu: { free: 3 } } }, instances: 1 },
      block_metrics: { instances: { total: 1, running: 1 }, nodes: { 'node-b': 1 }, gpus: 1 },
    });
    expect(Value.Check(BlockMetricsSchema, inputs[1]!.block_metrics)).toBe(true);
  });

  it('counts nothing free on an unhealthy node', async () => {
    env.infra.setNodeHealth('node-b', false, 'down');
    const seen: Json[] = [];
    env.ports.precheck = async (_hook, input) => {
      seen.push(input);
      return input;
    };
    await run('create_block', block('b1', { minInstances: 0 }));
    expect((seen[0]!.cluster_metrics as Json).cluster).toMatchObject({
      nodes: { total: 2, healthy: 1 },
      gpu: { count: 6, free: 2 },
      vcpu: { count: 24, free: 8 },
    });
  });
});

describe('init containers', () => {
  beforeEach(async () => {
    env = await setup();
  });
  const withInit = (id: string, initContainer: Json) =>
    block(id, {
      component: {
        containerRegistryInfo: {
          containerImage: 'local:./examples/blocks/echo-block/server.mjs',
          initContainer: { containerImage: 'governor/init:test', ...initContainer },
        },
      },
    });

  it('fails create_block with the exit code and the log tail when the job exits non-zero', async () => {
    const init = {
      command: [process.execPath, '-e', 'console.error("helm: chart not found"); process.exit(3)'],
    };
    await expect(run('create_block', withInit('b1', init))).rejects.toMatchObject({
      code: 'init_failed',
      details: { exit_code: 3, timed_out: false, status: null, log_tail: 'helm: chart not found\n' },
    });
    expect(await env.store.get('blocks', 'b1')).toBeUndefined();
    expect(await env.infra.list()).toEqual([]);
  });

  it('fails create_block when the job runs past its deadline, and stops the job', async () => {
    env.ports.initJobTimeoutMs = 200;
    await expect(run('create_block', withInit('b1', { command: ['sleep', '30'] }))).rejects.toMatchObject({
      code: 'init_failed',
      details: { timed_out: true },
    });
    expect(await env.store.get('blocks', 'b1')).toBeUndefined();
  });

  it('refuses an init container the backend cannot run, storing nothing', async () => {
    await expect(run('create_block', withInit('b1', {}))).rejects.toMatchObject({
      code: 'instance_start_failed',
      details: { reason: 'image_not_local' },
    });
    expect(await env.store.get('blocks', 'b1')).toBeUndefined();
  });

  it('undoes a successful init with a delete run when the instances fail to start', async () => {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'governor-init-')), 'modes');
    const script = `require("fs").appendFileSync(${JSON.stringify(log)}, process.env.OPERATING_MODE + "\\n")`;
    const big = withInit('b1', { command: [process.execPath, '-e', script] });
    big.policies = { resourceAllocator: { policyRuleURI: '', parameters: { gpus: 8 } } };
    await expect(run('create_block', big)).rejects.toMatchObject({
      code: 'allocation_failed',
      details: { init_container: { operating_mode: 'delete', ok: true, exit_code: 0 } },
    });
    expect(fs.readFileSync(log, 'utf8')).toBe('create\ndelete\n');
    expect(await env.store.get('blocks', 'b1')).toBeUndefined();
  });
});
