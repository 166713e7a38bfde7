/**
 * The init-container flow of spec §6 over real HTTP: the controller listens on loopback, the local
 * backend runs examples/blocks/init-container as a one-shot job, and the job reports its stages back
 * to POST /executeAction on the controller's own URL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instancesOf } from '../../src/cluster/actions/index.js';
import { testApp } from '../cluster/helpers.js';

type Json = Record<string, any>;

let t: Awaited<ReturnType<typeof testApp>>;
let url: string;
beforeEach(async () => {
  t = await testApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await t.close();
});

const exec = async (action: string, data: unknown) => {
  const res = await fetch(`${url}/executeAction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action, data }),
  });
  return { status: res.status, body: (await res.json()) as Json };
};

const INIT = 'local:./examples/blocks/init-container/init.mjs';
const block = (id: string, initImage = INIT) => ({
  id,
  component: {
    containerRegistryInfo: {
      containerImage: 'local:./examples/blocks/echo-block/server.mjs',
      componentMode: 'third_party',
      initContainer: { containerImage: initImage },
    },
  },
  policies: { resourceAllocator: { policyRuleURI: '', parameters: { gpus: 1 } } },
  minInstances: 1,
  maxInstances: 2,
});

const initRecords = async () => (await exec('query_init_container_data', {})).body as Json[];

describe('init containers', () => {
  it('runs before the instances start and hands its finish output to the block', async () => {
    const created = await exec('create_block', block('llm'));
    expect(created.status).toBe(200);
    expect(created.body.init_container).toEqual({
      operating_mode: 'create',
      ok: true,
      exit_code: 0,
      status: 'finish',
    });
    expect(created.body.instances).toEqual([expect.objectContaining({ status: 'running' })]);

    const entry = (await (await fetch(`${url}/blocks/llm`)).json()) as Json;
    expect(entry.blockInitData.initContainer).toEqual({
      operating_mode: 'create',
      inference_url: 'http://llm.inference.local:8000/v1',
      metrics_url: 'http://llm.inference.local:8000/metrics',
    });
    const [record] = await initRecords();
    expect(record).toMatchObject({ id: 'llm', status: 'finish', block_data: { id: 'llm' } });
    const [instance] = await instancesOf(t.cp.store, 'llm');
    expect(instance!.created_at >= record!.updated_at).toBe(true);

    const removed = await exec('remove_block', { block_id: 'llm' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      removed_instances: [instance!.id],
      init_container: { operating_mode: 'delete', ok: true, status: 'finish' },
    });
    expect(await initRecords()).toEqual([]);
    expect(await t.cp.infra.list()).toEqual([]);
  });

  it('fails create_block with init_failed when the init container fails, leaving nothing behind', async () => {
    const before = await t.cp.cluster.metrics();
    const r = await exec('create_block', block('llm', `${INIT} --fail main`));
    expect(r.status).toBe(502);
    expect(r.body.error).toMatchObject({
      code: 'init_failed',
      details: {
        block_id: 'llm',
        operating_mode: 'create',
        exit_code: 1,
        timed_out: false,
        status: 'failed',
        status_data: { stage: 'main', message: 'main failed' },
      },
    });
    expect(r.body.error.details.log_tail).toContain('init container: main failed (create)');
    expect((await fetch(`${url}/blocks/llm`)).status).toBe(404);
    expect(await initRecords()).toEqual([]);
    expect(await t.cp.infra.list()).toEqual([]);
    expect(await instancesOf(t.cp.store, 'llm')).toEqual([]);
    expect(await t.cp.cluster.metrics()).toEqual(before);
  });

  it('treats a failed report as a failure even when the job exits 0', async () => {
    const r = await exec('create_block', block('llm', `${INIT} --fail finish --exit-code 0`));
    expect(r.body.error).toMatchObject({
      code: 'init_failed',
      message: "the init container of block 'llm' (create) reported status failed",
      details: { exit_code: 0, status: 'failed', status_data: { stage: 'finish' } },
    });
    expect((await fetch(`${url}/blocks/llm`)).status).toBe(404);
    expect(await t.cp.infra.list()).toEqual([]);
  });

  it('removes the block even when the delete run fails, and says so', async () => {
    expect((await exec('create_block', block('llm', `${INIT} --fail main:delete`))).status).toBe(200);
    const removed = await exec('remove_block', { block_id: 'llm' });
    expect(removed.status).toBe(200);
    expect(removed.body.init_container).toMatchObject({
      operating_mode: 'delete',
      ok: false,
      error: { code: 'init_failed', details: { exit_code: 1, status: 'failed' } },
    });
    expect((await fetch(`${url}/blocks/llm`)).status).toBe(404);
    expect(await t.cp.infra.list()).toEqual([]);
  });
});

describe('init containers on a controller with a bearer token', () => {
  const token = 'controller-secret-token';
  let s: Awaited<ReturnType<typeof testApp>>;
  let base: string;
  beforeEach(async () => {
    s = await testApp({ token });
    base = await s.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await s.close();
  });

  const post = async (bearer: string, action: string, data: unknown) =>
    (
      await fetch(`${base}/executeAction`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ action, data }),
      })
    ).status;

  it('gives the job a token of its own, never the controller’s', async () => {
    const r = await fetch(`${base}/executeAction`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ action: 'create_block', data: block('llm') }),
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as Json).init_container).toMatchObject({ ok: true, status: 'finish' });
    expect(await post(token, 'remove_block', { block_id: 'llm' })).toBe(200);
  });

  it('accepts a job token only for its own block’s status updates, and only while the job runs', async () => {
    const jobToken = s.cp.jobGrants.issue('llm');
    expect(await post(jobToken, 'init_create_status_update', { block_id: 'other', status: 'begin' })).toBe(
      401,
    );
    expect(await post(jobToken, 'remove_block', { block_id: 'llm' })).toBe(401);
    // Past the auth: the block does not exist.
    expect(await post(jobToken, 'init_create_status_update', { block_id: 'llm', status: 'begin' })).toBe(404);
    s.cp.jobGrants.revoke(jobToken);
    expect(await post(jobToken, 'init_create_status_update', { block_id: 'llm', status: 'begin' })).toBe(401);
  });
});
