import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { type Decision, loadPolicy, PolicyRuntimes } from '../../src/policy/index.js';
import { example, fixture } from './fixtures.js';

const runtimes = new PolicyRuntimes();
afterAll(() => runtimes.close());

const cluster = {
  nodes: [
    { id: 'node-1', gpus: { gpus: [{ id: 0, memory: 16384, free: true }] } },
    {
      id: 'node-2',
      gpus: {
        gpus: [
          { id: 0, memory: 16384, free: true },
          { id: 1, memory: 16384, free: true },
          { id: 2, memory: 16384, free: false },
        ],
      },
    },
  ],
};
const payload = { block: {}, cluster, cluster_metrics: {}, healthy_nodes: ['node-1', 'node-2'] };

describe('loadPolicy with a Python pre-check policy', () => {
  it('allows and rewrites a small block, denies a large one with a reason', async () => {
    const policy = await loadPolicy(example('precheck-allow-small-blocks'), { runtimes });
    expect(policy.uri).toBe('policies.prechecks.allow-small-blocks:v0.0.1-stable');
    await expect(policy.eval({ block: { maxInstances: 2 } })).resolves.toEqual({
      allowed: true,
      input_data: { block: { maxInstances: 2, minInstances: 1 } },
    });
    await expect(policy.eval({ block: { maxInstances: 9 } })).resolves.toMatchObject({ allowed: false });
    await policy.close();
  });

  it('passes per-call parameters over the defaults', async () => {
    const policy = await loadPolicy(example('precheck-allow-small-blocks'), { runtimes });
    await expect(
      policy.eval({ block: { maxInstances: 9 } }, { parameters: { max_instances: 10 } }),
    ).resolves.toMatchObject({
      allowed: true,
    });
    await policy.close();
  });

  it('reaches management() of the loaded instance', async () => {
    const policy = await loadPolicy(example('precheck-allow-small-blocks'), {
      runtimes,
      parameters: { max_instances: 2 },
    });
    await expect(policy.management('get_parameters')).resolves.toEqual({
      status: 'success',
      parameters: { max_instances: 2 },
    });
    await expect(policy.management('set_max_instances', { value: 7 })).resolves.toMatchObject({
      status: 'success',
    });
    await expect(policy.management('get_parameters')).resolves.toEqual({
      status: 'success',
      parameters: { max_instances: 7 },
    });
    await policy.close();
  });
});

describe('loadPolicy with the Python resource allocator', () => {
  it('answers every action of seed 002 in its shape', async () => {
    const policy = await loadPolicy(example('gpu-allocator'), { runtimes });
    await expect(policy.eval({ action: 'dry_run', payload })).resolves.toEqual({
      selection_score_data: { score: 0.5, node_info: { node_id: 'node-2', gpus: ['0'] } },
    });
    await expect(policy.eval({ action: 'allocation', payload })).resolves.toEqual({
      node_id: 'node-2',
      gpus: ['0'],
    });
    await expect(
      policy.eval(
        { action: 'scale', payload: { ...payload, block_metrics: {} } },
        { parameters: { gpus_per_instance: 2 } },
      ),
    ).resolves.toEqual({ node_id: 'node-2', gpus: ['0', '1'] });
    await expect(
      policy.eval({
        action: 'reassignment',
        payload: { ...payload, instance_id: 'i-1', pod_name: 'p', current_node: 'node-2' },
      }),
    ).resolves.toEqual({ node_id: 'node-1', gpus: ['0'] });
    await policy.close();
  });
});

describe.each([
  { runtime: 'a Python', dir: fixture('counter-py'), trusted: false },
  { runtime: 'a sandboxed JS', dir: fixture('counter-js'), trusted: false },
  { runtime: 'a trusted JS', dir: fixture('counter-js'), trusted: true },
])('the context of $runtime policy', ({ dir, trusted }) => {
  it('persists across evals of a stateful instance', async () => {
    const policy = await loadPolicy(dir, { runtimes, trusted, stateful: true, ruleId: 'r-1' });
    await policy.eval({});
    await expect(policy.eval({})).resolves.toEqual({ calls: 2, rule_id: 'r-1' });
    await policy.close();
  });

  it('is fresh for every eval of a stateless instance', async () => {
    const policy = await loadPolicy(dir, { runtimes, trusted, stateful: false });
    await policy.eval({});
    await expect(policy.eval({})).resolves.toMatchObject({ calls: 1 });
    await policy.close();
  });

  it('can be seeded by the caller', async () => {
    const policy = await loadPolicy(dir, { runtimes, trusted, stateful: true });
    await expect(policy.eval({}, { context: { calls: 41 } })).resolves.toMatchObject({ calls: 42 });
    await expect(policy.eval({})).resolves.toMatchObject({ calls: 43 });
    await policy.close();
  });
});

describe('loadPolicy with the TypeScript load balancer', () => {
  it.each([false, true])(
    'keeps session affinity and answers management commands (trusted: %s)',
    async (trusted) => {
      const policy = await loadPolicy(example('session-balancer-ts'), { runtimes, trusted });
      const instances = ['instance-0', 'instance-1'];
      const a = await policy.eval({ instances, packet: { session_id: 'a' } });
      const b = await policy.eval({ instances, packet: { session_id: 'b' } });
      expect(a).not.toEqual(b);
      await expect(policy.eval({ instances, packet: { session_id: 'a' } })).resolves.toEqual(a);
      await expect(policy.management('get_current_mapping', {})).resolves.toEqual({
        mapping: {
          a: (a as { instance_id: string }).instance_id,
          b: (b as { instance_id: string }).instance_id,
        },
      });
      await expect(policy.management('health_check', {})).resolves.toEqual({ status: 'healthy', instances });
      await policy.close();
    },
  );
});

describe('loadPolicy', () => {
  it('refuses a URI without a registry to resolve it', async () => {
    await expect(loadPolicy('policies.x:v1', { runtimes })).rejects.toMatchObject({
      code: 'policy_not_found',
    });
  });

  it('rejects management on a policy that has none with unknown_action', async () => {
    const policy = await loadPolicy(fixture('counter-py'), { runtimes });
    await expect(policy.management('anything', {})).rejects.toMatchObject({ code: 'unknown_action' });
    await policy.close();
  });

  it('writes a decision per eval when given a decision log, errors included', async () => {
    const decisions: Decision[] = [];
    const policy = await loadPolicy(example('misbehaving/js'), {
      runtimes,
      decisionLog: { record: (d) => decisions.push(d) },
    });
    await policy.eval({ do: 'nothing' });
    await policy.eval({ do: 'raise' }).catch(() => {});
    expect(decisions).toHaveLength(2);
    expect(decisions[0]).toMatchObject({
      policy_rule_uri: policy.uri,
      policy_digest: policy.digest,
      caller: 'sdk',
    });
    expect(decisions[0]!.result).toEqual({ ok: true, echo: { do: 'nothing' } });
    expect(decisions[1]!.error).toMatchObject({ code: 'policy_crashed' });
    expect(decisions[0]!.input_digest).not.toBe(decisions[1]!.input_digest);
    await policy.close();
  });

  it('logs a result that hands back its input unchanged without the copy, and a rewritten one whole', async () => {
    const decisions: Decision[] = [];
    const policy = await loadPolicy(example('precheck-min-instances'), {
      runtimes,
      parameters: { min_instances: 3 },
      decisionLog: { record: (d) => decisions.push(d) },
    });
    const enough = { block_data: { id: 'b', minInstances: 3, maxInstances: 4 } };
    const tooFew = { block_data: { id: 'b', minInstances: 1 } };
    expect(await policy.eval(enough)).toEqual({ allowed: true, input_data: enough });
    await policy.eval(tooFew);
    expect(decisions[0]).toMatchObject({ result: { allowed: true }, input_data_unchanged: true });
    expect(decisions[0]!.result).not.toHaveProperty('input_data');
    expect(decisions[1]!.result).toEqual({
      allowed: true,
      input_data: { block_data: { id: 'b', minInstances: 3, maxInstances: 3 } },
    });
    expect(decisions[1]).not.toHaveProperty('input_data_unchanged');
    await policy.close();
  });

  it('leaves no python process behind once the last policy is closed', async () => {
    const a = await loadPolicy(fixture('counter-py'));
    const b = await loadPolicy(example('precheck-allow-small-blocks'));
    await a.eval({});
    // This file's own runtimes have workers too; only the SDK's shared ones must go.
    const workers = pythonWorkersOfThisProcess().filter((pid) => !runtimes.python.pids.includes(pid));
    expect(workers.length).toBeGreaterThan(0);
    await a.close();
    await b.close();
    expect(pythonWorkersOfThisProcess().filter((pid) => workers.includes(pid))).toEqual([]);
  });
});

/** Live (not zombie) python worker processes whose parent is this process. */
function pythonWorkersOfThisProcess(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,ppid=,stat=,args=', '-e'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(
      ([, ppid, stat, ...args]) =>
        Number(ppid) === process.pid && !stat?.startsWith('Z') && args.join(' ').includes('worker.py'),
    )
    .map(([pid]) => Number(pid));
}
