import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GovernorError } from '../../src/errors/index.js';
import { example, testApp } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof testApp>>;

describe('cluster entry and nodes API', () => {
  let t: Ctx;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const getCluster = async () =>
    (await t.app.inject({ method: 'GET', url: '/cluster-actions/get-cluster' })).json();

  it('creates the cluster entry from the config file on first start, with totals from its logical nodes', async () => {
    const c = await getCluster();
    expect(c.id).toBe('cluster-west-vision-001');
    expect(c.nodes.count).toBe(2);
    expect(c.gpus).toEqual({ count: 3, memory: 49152 });
    expect(c.vcpus).toEqual({ count: 48 });
    expect([c.memory, c.swap]).toEqual([196608, 12288]);
    expect(c.storage).toEqual({ disks: 3, size: 1572864 });
    expect(c.network).toEqual({ interfaces: 3, txBandwidth: 15000, rxBandwidth: 15000 });
  });

  it('adds a node and recomputes the totals', async () => {
    const node = { ...example('node-a100.json'), id: 'node-3' };
    const res = await t.app.inject({ method: 'POST', url: '/cluster-actions/add-node', payload: node });
    expect(res.statusCode).toBe(200);
    const c = await getCluster();
    expect(c.nodes.count).toBe(3);
    expect(c.nodes.nodeData.map((n: { id: string }) => n.id)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(c.gpus).toEqual({ count: 5, memory: 81920 });
    expect(c.vcpus.count).toBe(80);
  });

  it('refuses a node id already in the cluster with 409', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/cluster-actions/add-node',
      payload: example('node-a100.json'),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
  });

  it('answers bad node data with 400 naming the field', async () => {
    const empty = await t.app.inject({ method: 'POST', url: '/cluster-actions/add-node', payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details.field).toBe('body.id');
    const node = example('node-a100.json');
    node.gpus.count = -1;
    const bad = await t.app.inject({ method: 'POST', url: '/cluster-actions/add-node', payload: node });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('body.gpus.count');
  });

  it('removes a node and recomputes the totals; an unknown node is 404', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/cluster-actions/remove-node/node-2' });
    expect(res.statusCode).toBe(200);
    expect(res.json().gpus).toEqual({ count: 2, memory: 32768 });
    expect((await getCluster()).nodes.count).toBe(1);
    const missing = await t.app.inject({ method: 'DELETE', url: '/cluster-actions/remove-node/node-2' });
    expect(missing.statusCode).toBe(404);
  });

  it('applies the seed update-cluster example unchanged', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/cluster-actions/update-cluster',
      payload: { $set: { tags: ['gpu', 'updated'], reputation: 97 } },
    });
    expect(res.statusCode).toBe(200);
    const c = await getCluster();
    expect([c.tags, c.reputation]).toEqual([['gpu', 'updated'], 97]);
  });

  it('refuses an update that breaks the entry, naming the field, and keeps the entry', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/cluster-actions/update-cluster',
      payload: { $set: { tags: 'not-a-list' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('cluster_data.tags');
    const unknown = await t.app.inject({
      method: 'PATCH',
      url: '/cluster-actions/update-cluster',
      payload: { $merge: { tags: [] } },
    });
    expect(unknown.json().error).toMatchObject({ code: 'invalid_query', details: { operator: '$merge' } });
    expect((await getCluster()).tags).toEqual(['gpu', 'production', 'vision']);
  });

  it('keeps both of two nodes added concurrently', async () => {
    const node = example('node-a100.json');
    const results = await Promise.all(
      ['node-a', 'node-b'].map((id) =>
        t.app.inject({ method: 'POST', url: '/cluster-actions/add-node', payload: { ...node, id } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect((await getCluster()).nodes.count).toBe(4);
  });

  describe('pre-check gate', () => {
    it('passes add_node its input and stores the node data a pre-check rewrote', async () => {
      const seen: unknown[] = [];
      t.cp.cluster.gate = {
        check: async (action, input) => {
          seen.push({ action, keys: Object.keys(input as object) });
          const i = input as { node_data: { tags?: string[] } };
          return { ...i, node_data: { ...i.node_data, tags: ['approved'] } } as typeof input;
        },
      };
      await t.app.inject({
        method: 'POST',
        url: '/cluster-actions/add-node',
        payload: { ...example('node-a100.json'), id: 'n9' },
      });
      expect(seen).toEqual([{ action: 'add_node', keys: ['node_data', 'cluster_data', 'cluster_metrics'] }]);
      expect((await getCluster()).nodes.nodeData[2].tags).toEqual(['approved']);
    });

    it('passes remove_node the blocks with instances on the node, and the current cluster metrics', async () => {
      const exec = (action: string, data: unknown) =>
        t.app.inject({ method: 'POST', url: '/executeAction', payload: { action, data } });
      const block = {
        id: 'objdet-001',
        component: {
          containerRegistryInfo: { containerImage: 'local:./examples/blocks/echo-block/server.mjs' },
        },
        policies: { resourceAllocator: { policyRuleURI: '', parameters: { gpus: 1 } } },
        minInstances: 0,
        maxInstances: 1,
      };
      expect((await exec('create_block', block)).statusCode).toBe(200);
      const placed = await exec('scale', {
        block_id: 'objdet-001',
        operation: 'scale',
        allocation_data: [{ node_id: 'node-2', gpu_ids: [0] }],
      });
      expect(placed.statusCode).toBe(200);
      let input: unknown;
      t.cp.cluster.gate = {
        check: async (_action, i) => {
          input = i;
          return i;
        },
      };
      await t.app.inject({ method: 'DELETE', url: '/cluster-actions/remove-node/node-2' });
      expect(input).toMatchObject({
        node_id: 'node-2',
        block_instances: ['objdet-001'],
        cluster_metrics: {
          cluster: { nodes: { total: 2, healthy: 2 }, gpu: { count: 3, free: 2 } },
          nodes: { 'node-2': { gpu: { count: 1, free: 0, totalUsedMem: 16384 } } },
          instances: 1,
        },
      });
    });

    it('maps a denial to 403 policy_denied and changes nothing', async () => {
      t.cp.cluster.gate = {
        check: async () => {
          throw new GovernorError('policy_denied', 'no updates on Sundays');
        },
      };
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/cluster-actions/update-cluster',
        payload: { $set: { reputation: 1 } },
      });
      expect(res.statusCode).toBe(403);
      expect((await getCluster()).reputation).toBe(94);
    });
  });
});

describe('cluster entry without a config file', () => {
  it('describes this machine as a one-node cluster', async () => {
    const t = await testApp({ clusterConfig: undefined });
    try {
      const c = (await t.app.inject({ method: 'GET', url: '/cluster-actions/get-cluster' })).json();
      expect(c.nodes.count).toBe(1);
      expect(c.vcpus.count).toBeGreaterThan(0);
      expect(c.memory).toBeGreaterThan(0);
      expect(c.status).toBe('live');
    } finally {
      await t.close();
    }
  });
});
