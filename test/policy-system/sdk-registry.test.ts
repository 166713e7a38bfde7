import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRegistry, loadPolicy } from '../../src/index.js';
import { example, fixture } from '../policy/fixtures.js';
import { filesOf, type TestServer, testServer } from './helpers.js';

let s: TestServer;
let url: string;
let cacheDir: string;
beforeAll(async () => {
  s = await testServer();
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}`;
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-sdk-cache-'));
  for (const [name, dir] of [
    ['counter', fixture('counter-js')],
    ['precheck', example('precheck-allow-small-blocks')],
  ] as const) {
    await s.app.inject({
      method: 'POST',
      url: '/policy',
      payload: { name, version: 'v1', release_tag: 'stable', files: filesOf(dir) },
    });
  }
});
afterAll(async () => {
  await s.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe('loadPolicy by URI (Type 1 from the registry)', () => {
  it('downloads the package over HTTP and runs it stateful in this process', async () => {
    const policy = await loadPolicy('counter:v1-stable', { registry: httpRegistry({ url, cacheDir }) });
    await policy.eval({});
    await expect(policy.eval({})).resolves.toEqual({ calls: 2, rule_id: 'counter:v1-stable' });
    await policy.close();
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
  });

  it("takes the PolicyRule's current parameters as defaults", async () => {
    await s.app.inject({
      method: 'PUT',
      url: '/policy/precheck:v1-stable',
      payload: { $set: { 'policy_parameters.max_instances': 20 } },
    });
    const policy = await loadPolicy('precheck:v1-stable', { registry: s.cp.policies.registry });
    await expect(policy.eval({ block: { maxInstances: 12 } })).resolves.toMatchObject({ allowed: true });
    await policy.close();
  });

  it('reports an unknown URI as policy_not_found', async () => {
    await expect(loadPolicy('nope:v1', { registry: httpRegistry({ url, cacheDir }) })).rejects.toMatchObject({
      code: 'policy_not_found',
    });
  });
});
