import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { EXAMPLES, example } from '../cluster/helpers.js';

const sh = promisify(execFile);

/** The seed's curl commands, verbatim except for the <server-url>, <block-id> and <node-id> placeholders. */
const SEED_CURLS = {
  getBlock: 'curl -X GET http://<server-url>/blocks/<block-id>',
  listBlocks: 'curl -X GET http://<server-url>/blocks',
  query: `curl -X POST http://<server-url>/blocks/query \\
   -H "Content-Type: application/json" \\
   -d '{
      "query": {
        "cluster.reputation": { "$gt": 90 },
        "policies.autoscaler.policyRuleURI": { "$ne": "" }
    },
    "options": {
        "sort": { "id": 1 },
        "limit": 10
    }
}'`,
  updateBlock: `curl -X PUT http://<server-url>/block/update/<block-id> \\
   -H "Content-Type: application/json" \\
   -d '{
        "$set": {
            "blockMetadata.description": "Updated description for object detection block",
            "minInstances": 2
        }
}'`,
  getCluster: 'curl -X GET http://<server-url>/cluster-actions/get-cluster',
  updateCluster: `curl -X PATCH http://<server-url>/cluster-actions/update-cluster \\
  -H "Content-Type: application/json" \\
  -d '{
    "$set": {
      "tags": ["gpu", "updated"],
      "reputation": 97
    }
}'`,
  removeNode: 'curl -X DELETE http://<server-url>/cluster-actions/remove-node/<node-id>',
};

describe('seed 002 curl examples against a running server', () => {
  let server: RunningServer;
  let curl: (cmd: string) => Promise<any>;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gov-e2e-'));
    server = await startServer(
      loadConfig({ port: 0, dataDir, clusterConfig: path.join(EXAMPLES, 'laptop-gpu-cluster.yaml') }, {}),
    );
    await server.controlPlane.blocks.insert(example('block-object-detection.json'));
    const hostPort = server.url.replace('http://', '');
    curl = async (cmd) => {
      const line = cmd
        .replaceAll('<server-url>', hostPort)
        .replaceAll('<block-id>', 'objdet-001')
        .replaceAll('<node-id>', 'node-2');
      const { stdout } = await sh('sh', ['-c', `${line} -s`]);
      return JSON.parse(stdout);
    };
  });
  afterAll(() => server?.close());

  it('lists and gets blocks', async () => {
    expect((await curl(SEED_CURLS.listBlocks)).map((b: { id: string }) => b.id)).toEqual(['objdet-001']);
    expect((await curl(SEED_CURLS.getBlock)).componentUri).toBe('model.object-detection:2.0.0-stable');
  });

  it('answers the seed block query', async () => {
    expect((await curl(SEED_CURLS.query)).map((b: { id: string }) => b.id)).toEqual(['objdet-001']);
  });

  it('applies the seed block update', async () => {
    const updated = await curl(SEED_CURLS.updateBlock);
    expect(updated.minInstances).toBe(2);
    expect(updated.blockMetadata.description).toBe('Updated description for object detection block');
  });

  it('gets and updates the cluster, and removes a node', async () => {
    expect((await curl(SEED_CURLS.getCluster)).nodes.count).toBe(2);
    expect(await curl(SEED_CURLS.updateCluster)).toMatchObject({ tags: ['gpu', 'updated'], reputation: 97 });
    const after = await curl(SEED_CURLS.removeNode);
    expect([after.nodes.count, after.gpus.count]).toEqual([1, 2]);
  });
});
