/** POST /vdag-controller through HTTP on the local backend (placeholder controller processes). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VDAG_ACTION_NAMES } from '../../src/cluster/vdag/index.js';
import { testApp } from '../cluster/helpers.js';

type Json = Record<string, any>;
let t: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.cp.infra.close();
  await t.close();
});

const call = async (action: unknown, payload?: unknown) => {
  const res = await t.app.inject({ method: 'POST', url: '/vdag-controller', payload: { action, payload } });
  return { status: res.statusCode, body: res.json() as Json };
};
const create = {
  vdag_controller_id: 'vdag-controller-123',
  vdag_uri: 'vdag-demo:1.0-stable',
  config: { policy_execution_mode: 'local', replicas: 2 },
  search_tags: [],
};

describe('POST /vdag-controller', () => {
  it('creates, scales, lists and removes a controller with running replicas', async () => {
    const created = await call('create_controller', create);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      vdag_controller_id: 'vdag-controller-123',
      cluster_id: 'cluster-west-vision-001',
      public_url: 'http://cluster-west-vision-001.company.net/vdag-controller-123',
    });
    expect(created.body.replicas).toHaveLength(2);
    const health = (await (await fetch(`${created.body.replicas[0].url}/health`)).json()) as Json;
    expect(health).toMatchObject({ placeholder: true, vdag_controller_id: 'vdag-controller-123' });

    expect((await call('create_controller', create)).status).toBe(409);

    const scaled = await call('scale_controller', { vdag_controller_id: 'vdag-controller-123', replicas: 3 });
    expect(scaled.body.replicas).toHaveLength(3);
    const down = await call('scale_controller', { vdag_controller_id: 'vdag-controller-123', replicas: 1 });
    expect(down.body.replicas).toHaveLength(1);
    expect(down.body.config.replicas).toBe(1);

    const listed = await call('list_controllers', {});
    expect(listed.body.map((c: Json) => c.id)).toEqual(['vdag-controller-123']);

    const removed = await call('remove_controller', { vdag_controller_id: 'vdag-controller-123' });
    expect(removed.body.removed_replicas).toHaveLength(1);
    expect(await t.cp.infra.list()).toEqual([]);
    expect((await call('remove_controller', { vdag_controller_id: 'vdag-controller-123' })).status).toBe(404);
  });

  it('answers an unknown action with 400 listing the valid ones', async () => {
    const r = await call('explode', {});
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'unknown_action', details: { valid: VDAG_ACTION_NAMES } });
  });

  it.each([
    ['create_controller', { ...create, vdag_uri: undefined }, 'payload.vdag_uri'],
    ['create_controller', { ...create, config: { replicas: -1 } }, 'payload.config.replicas'],
    ['create_controller', { ...create, vdag_controller_id: 'a b' }, 'payload.vdag_controller_id'],
    ['remove_controller', {}, 'payload.vdag_controller_id'],
    ['scale_controller', { vdag_controller_id: 'x' }, 'payload.replicas'],
  ])('%s with a bad payload answers 400 naming %s', async (action, payload, field) => {
    const r = await call(action, payload);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'bad_request', details: { field } });
  });

  it('lists nothing on a fresh cluster, and answers 404 for a missing controller', async () => {
    expect((await call('list_controllers')).body).toEqual([]);
    expect((await call('scale_controller', { vdag_controller_id: 'ghost', replicas: 1 })).status).toBe(404);
  });
});
