/**
 * Cluster-level pre-check policies (spec §3.2 b) through HTTP: real Python policies registered in
 * the policy registry, mapped with POST /pre-check-policies/update, run by the action service.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interpretResult, PRECHECK_ACTIONS } from '../../src/cluster/index.js';
import { filesOf } from '../policy-system/helpers.js';
import { testApp } from './helpers.js';

type App = Awaited<ReturnType<typeof testApp>>;
type Json = Record<string, any>;

const POLICIES = path.join(path.dirname(new URL(import.meta.url).pathname), '../../examples/policies');

let t: App;
beforeEach(async () => {
  t = await testApp({ limits: { policyTimeoutMs: 1000 } });
});
afterEach(async () => {
  await t.cp.infra.close();
  await t.cp.policies.decisions.stop();
  await t.close();
  await t.cp.policyRuntimes.close();
});

const inject = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await t.app.inject({ method, url, payload: payload as object });
  return { status: res.statusCode, body: res.json() as Json };
};

/** Registers a policy (an example directory or inline files) and returns its URI. */
async function register(name: string, files: Record<string, string>): Promise<string> {
  const r = await inject('POST', '/policy', { name, version: 'v1', files });
  expect(r.status).toBe(201);
  return r.body.policy_rule_uri;
}
const example = (dir: string) => filesOf(path.join(POLICIES, dir));
const inline = (body: string) => ({
  'policy.yaml': 'name: inline\nversion: v1\nlanguage: python\nentry: function.py\n',
  'function.py': `class AIOSv1PolicyRule:\n    def __init__(self, rule_id, settings, parameters):\n        pass\n\n    def eval(self, parameters, input_data, context):\n${body}\n`,
});

const exec = (action: string, data: unknown) => inject('POST', '/executeAction', { action, data });
const block = (extra: Json = {}) => ({
  id: 'detector',
  component: { containerRegistryInfo: { containerImage: 'local:./examples/blocks/echo-block/server.mjs' } },
  policies: { resourceAllocator: { policyRuleURI: '', parameters: { gpus: 0 } } },
  minInstances: 1,
  maxInstances: 3,
  ...extra,
});

describe('pre-check policies', () => {
  it('denies add_block for a block without a tag: 403 with the reason, nothing started or stored', async () => {
    const uri = await register('require-tag', example('precheck-require-tag'));
    expect((await inject('POST', '/pre-check-policies/update', { add_block: uri })).status).toBe(200);

    const denied = await exec('create_block', block());
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({
      code: 'policy_denied',
      details: { policy: uri, action: 'add_block', reason: { reason: 'block detector has no tags' } },
    });
    expect((await inject('GET', '/blocks/detector')).status).toBe(404);
    expect(await t.cp.infra.list()).toEqual([]);

    const allowed = await exec('create_block', block({ tags: ['vision'] }));
    expect(allowed.status).toBe(200);
  });

  it('proceeds with the input a policy rewrote: the stored block has its minInstances', async () => {
    const uri = await register('min-instances', example('precheck-min-instances'));
    await t.app.inject({
      method: 'PUT',
      url: `/policy/${encodeURIComponent(uri)}`,
      payload: { $set: { policy_parameters: { min_instances: 2 } } },
    });
    await inject('POST', '/pre-check-policies/update', { add_block: uri });

    const created = await exec('create_block', block({ minInstances: 1 }));
    expect(created.status).toBe(200);
    expect(created.body.instances).toHaveLength(2);
    expect((await inject('GET', '/blocks/detector')).body).toMatchObject({ minInstances: 2 });
  });

  it.each([
    ['raises', '        raise RuntimeError("broken on purpose")', 'policy_crashed'],
    ['times out', '        while True:\n            pass', 'policy_timeout'],
    ['returns no allowed flag', '        return {"ok": True}', 'policy_invalid_result'],
  ])('denies, fail-closed, when the policy %s', async (_what, body, code) => {
    const uri = await register('broken', inline(body));
    await inject('POST', '/pre-check-policies/update', { add_block: uri });
    const r = await exec('create_block', block({ tags: ['vision'] }));
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({
      code: 'policy_denied',
      details: { policy: uri, action: 'add_block', failure: { code, message: expect.any(String) } },
    });
    expect((await inject('GET', '/blocks/detector')).status).toBe(404);
  });

  it('removes a check with "" and keeps the checks left out of the update', async () => {
    const deny = await register('deny', inline('        return {"allowed": False, "input_data": "no"}'));
    await inject('POST', '/pre-check-policies/update', { add_block: deny, remove_block: deny });
    expect((await exec('create_block', block({ tags: ['x'] }))).status).toBe(403);

    const updated = await inject('POST', '/pre-check-policies/update', { add_block: '' });
    expect(updated.body).toEqual({ remove_block: deny });
    expect((await inject('GET', '/pre-check-policies')).body).toEqual({ remove_block: deny });
    expect((await exec('create_block', block({ tags: ['x'] }))).status).toBe(200);
    const removal = await exec('remove_block', { block_id: 'detector' });
    expect(removal.status).toBe(403);
    expect(removal.body.error.details).toMatchObject({ action: 'remove_block', reason: 'no' });
  });

  it('rejects an unknown action with 400 listing the valid ones, and an unregistered URI with 404', async () => {
    const unknown = await inject('POST', '/pre-check-policies/update', { launch_rocket: '' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'unknown_action',
      details: { unknown: ['launch_rocket'], valid: PRECHECK_ACTIONS },
    });
    const missing = await inject('POST', '/pre-check-policies/update', { add_node: 'nope:v9-stable' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      code: 'policy_not_found',
      details: { policy: 'nope:v9-stable' },
    });
    expect((await inject('GET', '/pre-check-policies')).body).toEqual({});
  });

  it('writes every pre-check decision to the decision log with caller precheck:<hook>', async () => {
    const uri = await register('require-tag', example('precheck-require-tag'));
    await inject('POST', '/pre-check-policies/update', { add_block: uri });
    await exec('create_block', block());
    const decisions = await t.cp.policies.decisions.query({ caller: 'precheck:add_block' });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      policy_rule_uri: uri,
      result: { allowed: false, input_data: { reason: 'block detector has no tags' } },
    });
  });

  it('pre-checks add_node with the spec input and the rewritten node data', async () => {
    const uri = await register(
      'label-node',
      inline(
        '        assert set(input_data) == {"node_data", "cluster_data", "cluster_metrics"}\n' +
          '        input_data["node_data"]["tags"] = ["checked"]\n' +
          '        return {"allowed": True, "input_data": input_data}',
      ),
    );
    await inject('POST', '/pre-check-policies/update', { add_node: uri });
    const cluster = (await inject('GET', '/cluster-actions/get-cluster')).body;
    const node = { ...cluster.nodes.nodeData[0], id: 'node-9' };
    const added = await inject('POST', '/cluster-actions/add-node', node);
    expect(added.status).toBe(200);
    expect(added.body.nodes.nodeData.find((n: Json) => n.id === 'node-9').tags).toEqual(['checked']);
  });
});

describe('pre-check outcomes', () => {
  const input = { block_data: { id: 'b', minInstances: 1 } };
  it.each([
    ['allow', { allowed: true, input_data: structuredClone(input) }, { outcome: 'allow', input }],
    [
      'rewrite',
      { allowed: true, input_data: { block_data: { id: 'b', minInstances: 2 } } },
      { outcome: 'rewrite', input: { block_data: { id: 'b', minInstances: 2 } } },
    ],
    ['deny', { allowed: false, input_data: 'too big' }, { outcome: 'deny', reason: 'too big' }],
    ['errored (no allowed flag)', { allowed: 'yes' }, { outcome: 'errored' }],
    ['errored (allowed without input_data)', { allowed: true }, { outcome: 'errored' }],
    ['errored (not an object)', null, { outcome: 'errored' }],
  ])('reads %s', (_name, result, expected) => {
    expect(interpretResult(input, result)).toMatchObject(expected);
  });
});

describe('the ten hooks', () => {
  it('calls every hook with the spec input shape (a policy that denies with the keys it got)', async () => {
    await exec('create_block', block());
    const vdag = { vdag_controller_id: 'vdag-1', vdag_uri: 'vdag-demo:1.0-stable', config: { replicas: 1 } };
    const vdagCall = (action: string, payload: unknown) =>
      inject('POST', '/vdag-controller', { action, payload });
    expect((await vdagCall('create_controller', vdag)).status).toBe(200);
    const keys = await register(
      'keys',
      inline('        return {"allowed": False, "input_data": sorted(input_data.keys())}'),
    );
    const all = Object.fromEntries(PRECHECK_ACTIONS.map((a) => [a, keys]));
    await inject('POST', '/pre-check-policies/update', all);
    const node = (await inject('GET', '/cluster-actions/get-cluster')).body.nodes.nodeData[0];
    const patch = async (body: unknown) => {
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/cluster-actions/update-cluster',
        payload: body as object,
      });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const del = async (url: string) => {
      const res = await t.app.inject({ method: 'DELETE', url });
      return { status: res.statusCode, body: res.json() as Json };
    };
    const calls: [string, () => Promise<{ status: number; body: Json }>, string[]][] = [
      [
        'add_node',
        () => inject('POST', '/cluster-actions/add-node', { ...node, id: 'n9' }),
        ['cluster_data', 'cluster_metrics', 'node_data'],
      ],
      [
        'remove_node',
        () => del(`/cluster-actions/remove-node/${node.id}`),
        ['block_instances', 'cluster_data', 'cluster_metrics', 'node_id'],
      ],
      ['update_cluster', () => patch({ $set: { tags: ['x'] } }), ['cluster_data']],
      [
        'add_block',
        () => exec('create_block', block({ id: 'other' })),
        ['block_data', 'cluster_data', 'cluster_metrics'],
      ],
      [
        'remove_block',
        () => exec('remove_block', { block_id: 'detector' }),
        ['block_data', 'block_instance_nodes', 'block_metrics', 'cluster_data', 'cluster_metrics'],
      ],
      [
        'scale_block',
        () => exec('scale', { block_id: 'detector', operation: 'scale', instances_count: 1 }),
        ['block_data', 'input'],
      ],
      [
        'block_mgmt',
        () => exec('parameter_update', { block_id: 'detector', parameters: { a: 1 } }),
        ['block_data', 'input'],
      ],
      [
        'cluster_mgmt',
        () => inject('POST', '/mgmt', { service: 'stability_checker', mgmt_action: 'x' }),
        ['cluster_data', 'input'],
      ],
      [
        'add_vdag_controller',
        () => vdagCall('create_controller', { ...vdag, vdag_controller_id: 'vdag-2' }),
        ['cluster_data', 'cluster_metrics', 'input_data', 'node_id', 'vdag_data'],
      ],
      [
        'remove_vdag_controller',
        () => vdagCall('remove_controller', { vdag_controller_id: 'vdag-1' }),
        ['cluster_data', 'cluster_metrics', 'node_id', 'vdag_controller_data', 'vdag_data'],
      ],
    ];
    for (const [hook, call, expected] of calls) {
      const r = await call();
      expect({ hook, status: r.status, details: r.body.error?.details }).toEqual({
        hook,
        status: 403,
        details: { policy: keys, action: hook, reason: expected },
      });
    }
    expect(calls.map((c) => c[0]).sort()).toEqual([...PRECHECK_ACTIONS].sort());
  });
});

describe('POST /mgmt', () => {
  const mgmt = (body: Json) => inject('POST', '/mgmt', body);

  it('sends the command to every running instance after the block_mgmt pre-check allows it', async () => {
    await exec('create_block', block({ minInstances: 2 }));
    const uri = await register(
      'mgmt-rewrite',
      inline(
        '        assert input_data["input"]["service"] == "instances"\n' +
          '        input_data["input"]["payload"]["checked"] = True\n' +
          '        return {"allowed": True, "input_data": input_data}',
      ),
    );
    await inject('POST', '/pre-check-policies/update', { block_mgmt: uri });
    const r = await mgmt({
      block_id: 'detector',
      service: 'instances',
      mgmt_action: 'update',
      mgmt_data: { iou: 0.5 },
    });
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(2);
    for (const res of r.body.results)
      expect(res).toMatchObject({ ok: true, response: { parameters: { iou: 0.5, checked: true } } });
  });

  it('denies a block command the block_mgmt pre-check refuses, and sends nothing', async () => {
    await exec('create_block', block());
    const deny = await register(
      'deny',
      inline('        return {"allowed": False, "input_data": "read-only"}'),
    );
    await inject('POST', '/pre-check-policies/update', { block_mgmt: deny });
    const r = await mgmt({
      block_id: 'detector',
      service: 'instances',
      mgmt_action: 'update',
      mgmt_data: { a: 1 },
    });
    expect(r.status).toBe(403);
    expect(r.body.error.details).toMatchObject({ action: 'block_mgmt', reason: 'read-only' });
    await inject('POST', '/pre-check-policies/update', { block_mgmt: '' });
    const read = await mgmt({ block_id: 'detector', service: 'instances', mgmt_action: 'get_parameters' });
    expect(read.body.results[0].response.parameters).toEqual({});
  });

  it('pre-checks cluster_mgmt for the stability checker, then says none is configured', async () => {
    const deny = await register('deny', inline('        return {"allowed": False, "input_data": "no"}'));
    await inject('POST', '/pre-check-policies/update', { cluster_mgmt: deny });
    const denied = await mgmt({ block_id: '', service: 'stability_checker', mgmt_action: 'get_parameters' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.details.action).toBe('cluster_mgmt');
    await inject('POST', '/pre-check-policies/update', { cluster_mgmt: '' });
    const none = await mgmt({ service: 'stability_checker', mgmt_action: 'get_parameters' });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe('no stability checker policy is configured for this cluster');
  });

  it.each([
    [{ block_id: 'detector', service: 'autoscaler', mgmt_action: 'x' }, 400, 'body.service'],
    [{ service: 'instances', mgmt_action: 'x' }, 400, 'body.service'],
    [{ block_id: 'ghost', service: 'instances', mgmt_action: 'x' }, 404, undefined],
  ])('rejects %j', async (body, status, field) => {
    const r = await mgmt(body);
    expect(r.status).toBe(status);
    if (field) expect(r.body.error.details.field).toBe(field);
  });
});
