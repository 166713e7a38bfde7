import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, fixture } from '../policy/fixtures.js';
import { filesOf, type TestServer, testServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  // A small Python cap makes the memory bomb fail fast even on a busy machine.
  s = await testServer({ policyTimeoutMs: 500, pythonMemoryMb: 96 });
  for (const [name, dir] of [
    ['precheck', example('precheck-allow-small-blocks')],
    ['counter', fixture('counter-py')],
    ['counter-js', fixture('counter-js')],
    ['bad', example('misbehaving/python')],
    ['bad-js', example('misbehaving/js')],
  ] as const) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/policy',
      payload: { name, version: 'v1', files: filesOf(dir) },
    });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(() => s.close());

const execute = (body: object, executor = 'default') =>
  s.app.inject({ method: 'POST', url: `/executor/${executor}/execute_policy`, payload: body });

describe('the Type 2 executor', () => {
  it("answers with the policy's result, a decision id and the duration", async () => {
    const res = await execute({
      policy_rule_uri: 'precheck:v1-stable',
      input_data: { block: { maxInstances: 2 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      allowed: true,
      input_data: { block: { maxInstances: 2, minInstances: 1 } },
    });
    expect(res.headers['x-decision-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(res.headers['x-duration-ms'])).toBeGreaterThan(0);
  });

  it('merges call parameters over the registered ones, and sees a PUT at once', async () => {
    const input = { policy_rule_uri: 'precheck:v1-stable', input_data: { block: { maxInstances: 6 } } };
    expect((await execute(input)).json().allowed).toBe(false);
    expect((await execute({ ...input, parameters: { max_instances: 6 } })).json().allowed).toBe(true);
    await s.app.inject({
      method: 'PUT',
      url: '/policy/precheck:v1-stable',
      payload: { $set: { 'policy_parameters.max_instances': 10 } },
    });
    expect((await execute(input)).json().allowed).toBe(true);
  });

  it('gives a JS policy the parameters of each call: registered, merged, registered again, then a PUT', async () => {
    const files = {
      'index.js': 'export default class { eval(parameters) { return parameters; } }',
    };
    const pushed = await s.app.inject({
      method: 'POST',
      url: '/policy',
      payload: { name: 'echo-params', version: 'v1', files, policy_parameters: { a: 1 } },
    });
    expect(pushed.statusCode).toBe(201);
    const call = { policy_rule_uri: 'echo-params:v1', input_data: {} };
    expect((await execute(call)).json()).toEqual({ a: 1 });
    expect((await execute({ ...call, parameters: { b: 2 } })).json()).toEqual({ a: 1, b: 2 });
    expect((await execute(call)).json()).toEqual({ a: 1 });
    await s.app.inject({
      method: 'PUT',
      url: '/policy/echo-params:v1',
      payload: { $set: { 'policy_parameters.a': 3 } },
    });
    expect((await execute(call)).json()).toEqual({ a: 3 });
  });

  it.each(['counter:v1', 'counter-js:v1'])(
    'is stateless: %s gets a fresh instance and context per call',
    async (uri) => {
      await execute({ policy_rule_uri: uri, input_data: {} });
      const res = await execute({ policy_rule_uri: uri, input_data: {} });
      expect(res.json()).toEqual({ calls: 1, rule_id: uri });
    },
  );

  it('writes every evaluation to the decision log, failures included', async () => {
    const ok = await execute({ policy_rule_uri: 'counter:v1', input_data: { n: 1 } });
    const failed = await execute({ policy_rule_uri: 'bad:v1', input_data: { do: 'raise' } });
    const rule = (await s.app.inject({ method: 'GET', url: '/policy/counter:v1' })).json();
    const decision = (
      await s.app.inject({ method: 'GET', url: `/decisions/${ok.headers['x-decision-id']}` })
    ).json();
    expect(decision).toMatchObject({
      policy_rule_uri: 'counter:v1',
      policy_digest: rule.digest,
      input_digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      result: { calls: 1, rule_id: 'counter:v1' },
      caller: 'executor:default',
    });
    const errors = await s.app.inject({
      method: 'POST',
      url: '/decisions/query',
      payload: { policy_rule_uri: 'bad:v1' },
    });
    expect(errors.json()[0]).toMatchObject({
      decision_id: failed.headers['x-decision-id'] ?? expect.any(String),
      error: { code: 'policy_crashed' },
    });
  });

  it.each([
    ['bad:v1', 'loop', 504, 'policy_timeout'],
    ['bad:v1', 'memory', 502, 'policy_memory_exceeded'],
    ['bad:v1', 'raise', 502, 'policy_crashed'],
    ['bad:v1', 'bad_return', 502, 'policy_invalid_result'],
    ['bad:v1', 'exit', 502, 'policy_crashed'],
    ['bad-js:v1', 'loop', 504, 'policy_timeout'],
    ['bad-js:v1', 'raise', 502, 'policy_crashed'],
    ['bad-js:v1', 'bad_return', 502, 'policy_invalid_result'],
    ['bad-js:v1', 'exit', 502, 'policy_crashed'],
  ])('fails %s doing %s with %i %s, and keeps serving', async (uri, what, status, code) => {
    const res = await execute({ policy_rule_uri: uri, input_data: { do: what } });
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatchObject({ code, details: { policy: uri } });
    const next = await execute({ policy_rule_uri: uri, input_data: { do: 'nothing' } });
    expect(next.json()).toEqual({ ok: true, echo: { do: 'nothing' } });
  });

  it('answers an unknown policy with 404 policy_not_found', async () => {
    const res = await execute({ policy_rule_uri: 'nope:v1', input_data: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('policy_not_found');
  });

  it('answers a body without policy_rule_uri with 400 naming the field', async () => {
    const res = await execute({ input_data: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('body.policy_rule_uri');
  });
});

describe('executor documents', () => {
  const executor = {
    executor_id: 'gpu-west',
    executor_metadata: { tags: ['kubernetes-cluster'], author_name: 'ops' },
    executor_hardware_info: { vcpus: { count: 32 }, memory: 131072 },
  };

  it('lists the embedded executor as default', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/executor/default' });
    expect(res.json()).toMatchObject({ executor_id: 'default', executor_status: 'healthy' });
  });

  it('registers, finds, updates and removes an executor', async () => {
    const created = await s.app.inject({ method: 'POST', url: '/executor', payload: executor });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ executor_id: 'gpu-west', executor_status: 'healthy' });
    expect((await s.app.inject({ method: 'POST', url: '/executor', payload: executor })).statusCode).toBe(
      409,
    );
    const found = await s.app.inject({
      method: 'POST',
      url: '/executor/query',
      payload: {
        'executor_metadata.tags': { $in: ['kubernetes-cluster'] },
        'executor_hardware_info.vcpus.count': { $gte: 16 },
      },
    });
    expect(found.json().map((e: { executor_id: string }) => e.executor_id)).toEqual(['gpu-west']);
    const updated = await s.app.inject({
      method: 'PUT',
      url: '/executor/gpu-west',
      payload: { $set: { executor_status: 'busy' } },
    });
    expect(updated.json().executor_status).toBe('busy');
    expect((await s.app.inject({ method: 'DELETE', url: '/executor/gpu-west' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/executor/gpu-west' })).statusCode).toBe(404);
  });

  it('forwards a call for another executor to its executor_host_uri', async () => {
    const other = await testServer({}, 'elsewhere');
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = other.app.server.address() as { port: number };
      const files = filesOf(fixture('counter-js'));
      await other.app.inject({
        method: 'POST',
        url: '/policy',
        payload: { name: 'remote', version: 'v1', files },
      });
      await s.app.inject({
        method: 'POST',
        url: '/executor',
        payload: { executor_id: 'elsewhere', executor_host_uri: `http://127.0.0.1:${port}` },
      });
      const res = await execute({ policy_rule_uri: 'remote:v1', input_data: {} }, 'elsewhere');
      expect(res.json()).toEqual({ calls: 1, rule_id: 'remote:v1' });
      const decisionId = res.headers['x-decision-id'];
      const there = await other.app.inject({ method: 'GET', url: `/decisions/${decisionId}` });
      expect(there.json()).toMatchObject({ policy_rule_uri: 'remote:v1', caller: 'executor:elsewhere' });
    } finally {
      await other.close();
    }
  });

  it('answers a call for an unknown executor with 404', async () => {
    const res = await execute({ policy_rule_uri: 'counter:v1', input_data: {} }, 'nowhere');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({
      code: 'not_found',
      details: { kind: 'executor', id: 'nowhere' },
    });
  });
});
