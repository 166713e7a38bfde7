/**
 * POST /executeAction through HTTP (app.inject) on the local backend: the seed's action flow on
 * the laptop GPU cluster example (node-1: 2 GPUs, node-2: 1 GPU, plus a node added through the API), and every bad input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../src/cluster/actions/index.js';
import { example, testApp } from '../cluster/helpers.js';
import { filesOf } from '../policy-system/helpers.js';

type App = Awaited<ReturnType<typeof testApp>>;
type Json = Record<string, any>;

let t: App;
const pids: number[] = [];
// Instances resolve ./examples against the working directory: the repository root under vitest.
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.cp.infra.close();
  await t.close();
});

const exec = async (action: unknown, data: unknown) => {
  const res = await t.app.inject({ method: 'POST', url: '/executeAction', payload: { action, data } });
  return { status: res.statusCode, body: res.json() as Json };
};

const block = {
  id: 'detector',
  tags: ['vision'],
  component: { containerRegistryInfo: { containerImage: 'local:./examples/blocks/echo-block/server.mjs' } },
  policies: { resourceAllocator: { policyRuleURI: '', parameters: { gpus: 1 } } },
  minInstances: 2,
  maxInstances: 3,
};

const alive = (pid: number) => {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
};

describe('POST /executeAction', () => {
  it('runs a block through its life: create, query, scale to four, scale down, reassign, update, remove', async () => {
    // The laptop cluster has 3 GPUs: a third node makes room for four one-GPU instances.
    const node = { ...example('node-a100.json'), id: 'node-3' };
    expect(
      (await t.app.inject({ method: 'POST', url: '/cluster-actions/add-node', payload: node })).statusCode,
    ).toBe(200);
    const created = await exec('create_block', { ...block, maxInstances: 4 });
    expect(created.status).toBe(200);
    expect(created.body.instances).toHaveLength(2);
    for (const i of created.body.instances) {
      const health = (await (await fetch(`${i.url}/health`)).json()) as Json;
      expect(health).toMatchObject({ block_id: 'detector', instance_id: i.instance_id, node_id: i.node_id });
      expect(health.gpus).toBe(i.gpus.join(','));
      pids.push(health.pid);
    }
    const stored = await t.app.inject({ method: 'GET', url: '/blocks/detector' });
    expect(stored.json()).toMatchObject({ id: 'detector', minInstances: 2 });

    const again = await exec('create_block', block);
    expect(again.status).toBe(409);
    expect(again.body.error.details.current.instances).toHaveLength(2);

    const up = await exec('scale', { block_id: 'detector', operation: 'scale', instances_count: 2 });
    expect(up.status).toBe(200);
    expect(up.body.instances).toHaveLength(2);
    const listed = await t.app.inject({ method: 'POST', url: '/blocks/query', payload: { id: 'detector' } });
    expect(listed.statusCode).toBe(200);
    expect((await t.cp.infra.list()).filter((i) => i.status === 'running')).toHaveLength(4);
    const full = await exec('scale', { block_id: 'detector', operation: 'scale', instances_count: 1 });
    expect(full.body.error.code).toBe('conflict');

    const extra = up.body.instances.map((i: Json) => i.instance_id);
    const down = await exec('scale', { block_id: 'detector', operation: 'downscale', instances_list: extra });
    expect(down.body.removed_instances).toEqual(extra);

    const moved = await exec('reassign-instances', {
      block_id: 'detector',
      instances_list: [created.body.instances[0].instance_id],
    });
    expect(moved.status).toBe(200);
    expect(moved.body.reassigned[0].to.status).toBe('running');

    const params = await exec('parameter_update', { block_id: 'detector', parameters: { iou: 0.5 } });
    expect(params.body.delivered.map((d: Json) => d.ok)).toEqual([true, true]);

    // Three GPUs are free for the six instances this block could run: half of it fits.
    const dry = await exec('dry_run', { block: { ...block, id: 'other', maxInstances: 6 } });
    expect(dry.body.selection_score_data).toEqual({ score: 0.5, node_info: expect.any(Object) });

    const removed = await exec('remove_block', { block_id: 'detector' });
    expect(removed.body.removed_instances).toHaveLength(2);
    expect((await exec('remove_block', { block_id: 'detector' })).status).toBe(404);
    expect(await t.cp.infra.list()).toEqual([]);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('says why nothing fits, in the words of the allocator', async () => {
    const r = await exec('create_block', {
      ...block,
      id: 'huge',
      policies: {
        resourceAllocator: { policyRuleURI: '', parameters: { gpus: 1, min_gpu_free_memory: 40000 } },
      },
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({
      code: 'allocation_failed',
      message: '0/2 nodes available: 2 insufficient GPU memory',
    });
  });

  it('places instances where a Python allocator pushed to the registry says', async () => {
    const files = filesOf(path.join(import.meta.dirname, '../../examples/policies/allocator-prefer-node'));
    const pushed = await t.app.inject({
      method: 'POST',
      url: '/policy',
      payload: { name: 'prefer-node', version: 'v1', files },
    });
    expect(pushed.statusCode).toBe(201);
    const uri = pushed.json().policy_rule_uri as string;
    // The default allocator packs a 1-GPU instance onto node-2 (its one GPU) first; the policy insists on node-1.
    const r = await exec('create_block', {
      ...block,
      id: 'pinned',
      policies: { resourceAllocator: { policyRuleURI: uri, parameters: { node_id: 'node-1', gpus: 1 } } },
    });
    expect(r.status).toBe(200);
    expect(r.body.instances.map((i: Json) => [i.node_id, i.gpus])).toEqual([
      ['node-1', [0]],
      ['node-1', [1]],
    ]);
    await t.cp.policies.decisions.flush();
    const decisions = await t.app.inject({
      method: 'POST',
      url: '/decisions/query',
      payload: { caller: 'cluster:resourceAllocator' },
    });
    const results = (decisions.json() as Json[]).map((d) => [d.policy_rule_uri, d.result]);
    expect(results).toHaveLength(2);
    expect(results).toEqual(
      expect.arrayContaining([
        [uri, { node_id: 'node-1', gpus: [0] }],
        [uri, { node_id: 'node-1', gpus: [1] }],
      ]),
    );
  });

  it('answers an unknown action with 400 listing the valid ones', async () => {
    const r = await exec('launch_rocket', {});
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'unknown_action', details: { valid: ACTION_NAMES } });
  });

  it.each([
    ['create_block', { ...block, id: undefined }, 'data.id'],
    ['create_block', { ...block, minInstances: 'two' }, 'data.minInstances'],
    ['create_block', { ...block, id: 'x', component: {} }, 'component.containerRegistryInfo.containerImage'],
    ['remove_block', {}, 'data.block_id'],
    ['scale', { block_id: 'b', operation: 'up' }, 'data.operation'],
    ['scale', { block_id: 'b', operation: 'downscale' }, 'data.instances_list'],
    ['parameter_update', { block_id: 'b' }, 'data.parameters'],
    ['dry_run', {}, 'data.block'],
    ['remove_instance', { block_id: 'b' }, 'data.instance_id'],
    ['init_create_status_update', { block_id: 'b', status: 'ok' }, 'data.status'],
    ['query_init_container_data', { query: 'all' }, 'data.query'],
    ['reassign-instances', { block_id: 'b' }, 'data.instances_list'],
  ])('%s with bad data answers 400 naming %s', async (action, data, field) => {
    const r = await exec(action, data);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'bad_request', details: { field } });
  });

  it.each([
    ['remove_block', { block_id: 'ghost' }],
    ['scale', { block_id: 'ghost', operation: 'scale', instances_count: 1 }],
    ['parameter_update', { block_id: 'ghost', parameters: {} }],
    ['remove_instance', { block_id: 'ghost', instance_id: 'i' }],
    ['init_create_status_update', { block_id: 'ghost', status: 'begin' }],
    ['reassign-instances', { block_id: 'ghost', instances_list: ['i'] }],
  ])('%s of a missing block answers 404', async (action, data) => {
    const r = await exec(action, data);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it('rejects a body without data', async () => {
    const r = await exec('remove_block', undefined);
    expect(r.status).toBe(400);
  });
});
