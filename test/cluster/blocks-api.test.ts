import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, testApp } from './helpers.js';

describe('blocks DB API', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const base = example('block-object-detection.json');
  beforeAll(async () => {
    t = await testApp();
    await t.cp.blocks.insert(base);
    await t.cp.blocks.insert({ ...base, id: 'objdet-002', cluster: { id: 'c-2', reputation: 80 } });
    await t.cp.blocks.insert({
      ...base,
      id: 'objdet-003',
      policies: { autoscaler: { policyRuleURI: '' } },
      cluster: { id: 'c-3', reputation: 99 },
    });
  });
  afterAll(() => t.close());

  it('lists all blocks', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/blocks' });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((b: { id: string }) => b.id)).toEqual(['objdet-001', 'objdet-002', 'objdet-003']);
  });

  it('returns one block, and 404 with a clear error for an unknown id', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/blocks/objdet-001' })).json()).toEqual(base);
    const missing = await t.app.inject({ method: 'GET', url: '/blocks/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'not_found', message: "block 'nope' not found" });
  });

  it('answers the seed query on cluster.reputation and policies.autoscaler.policyRuleURI', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/blocks/query',
      payload: {
        query: { 'cluster.reputation': { $gt: 90 }, 'policies.autoscaler.policyRuleURI': { $ne: '' } },
        options: { sort: { id: 1 }, limit: 10 },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((b: { id: string }) => b.id)).toEqual(['objdet-001']);
  });

  it('sorts, limits and projects a query', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/blocks/query',
      payload: {
        query: {},
        options: { sort: { 'cluster.reputation': -1 }, limit: 2, projection: { 'cluster.reputation': 1 } },
      },
    });
    expect(res.json()).toEqual([
      { id: 'objdet-003', cluster: { reputation: 99 } },
      { id: 'objdet-001', cluster: { reputation: 94 } },
    ]);
  });

  it('rejects an unknown operator with 400 invalid_query naming it and its path', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/blocks/query',
      payload: { query: { 'cluster.reputation': { $gtx: 90 } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid_query',
      details: { operator: '$gtx', path: 'cluster.reputation.$gtx' },
    });
  });

  it('rejects bad options with 400 naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/blocks/query',
      payload: { query: {}, options: { limit: -1 } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('body.options.limit');
  });

  it('applies the seed block update example unchanged', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/block/update/objdet-002',
      payload: {
        $set: {
          'blockMetadata.description': 'Updated description for object detection block',
          minInstances: 2,
        },
      },
    });
    expect(res.statusCode).toBe(200);
    const block = (await t.app.inject({ method: 'GET', url: '/blocks/objdet-002' })).json();
    expect(block.blockMetadata.description).toBe('Updated description for object detection block');
    expect(block.minInstances).toBe(2);
  });

  it('refuses an update that would break the block entry, naming the field, and writes nothing', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/block/update/objdet-001',
      payload: { $set: { minInstances: 'two' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('block.minInstances');
    expect((await t.app.inject({ method: 'GET', url: '/blocks/objdet-001' })).json().minInstances).toBe(1);
  });

  it('answers an update of an unknown block with 404', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/block/update/nope',
      payload: { $set: { minInstances: 1 } },
    });
    expect(res.statusCode).toBe(404);
  });
});
