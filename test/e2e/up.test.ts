import { describe, expect, it } from 'vitest';
import { runCli, startGovernor } from './helpers.js';

describe('governor up', () => {
  it('serves /healthz and /docs, then shuts down cleanly on SIGTERM', async () => {
    const gov = await startGovernor();
    const health = await fetch(`${gov.url}/healthz`);
    expect(health.status).toBe(200);
    const docs = await fetch(`${gov.url}/docs/json`);
    expect(((await docs.json()) as { info: { title: string } }).info.title).toBe('Governor');
    expect(await gov.stop('SIGTERM')).toBe(0);
  });

  it('shuts down cleanly on SIGINT', async () => {
    const gov = await startGovernor();
    expect(await gov.stop('SIGINT')).toBe(0);
  });

  it('runs a block init container that reports back to the server it started from', async () => {
    const token = 'e2e-token-0123456789';
    // A wildcard bind with a token: the job must find the server on loopback and bring its own token.
    const gov = await startGovernor({ GOVERNOR_TOKEN: token }, ['--host', '0.0.0.0']);
    try {
      const exec = async (action: string, data: unknown) => {
        const res = await fetch(`${gov.url}/executeAction`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ action, data }),
        });
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      };
      const created = await exec('create_block', {
        id: 'llm',
        component: {
          containerRegistryInfo: {
            containerImage: 'local:./examples/blocks/echo-block/server.mjs',
            initContainer: { containerImage: 'local:./examples/blocks/init-container/init.mjs' },
          },
        },
        minInstances: 1,
        maxInstances: 1,
      });
      expect(created.status).toBe(200);
      expect(created.body.init_container).toMatchObject({ ok: true, status: 'finish' });
      const entry = (await (await fetch(`${gov.url}/blocks/llm`)).json()) as Record<string, any>;
      expect(entry.blockInitData.initContainer.inference_url).toBe('http://llm.inference.local:8000/v1');
      const removed = await exec('remove_block', { block_id: 'llm' });
      expect(removed.body.init_container).toMatchObject({ operating_mode: 'delete', ok: true });
      expect(await gov.stop('SIGTERM')).toBe(0);
    } finally {
      await gov.stop();
    }
  });

  it('refuses to listen beyond loopback without a token, naming the fix', async () => {
    const r = await runCli(['up', '--host', '0.0.0.0', '--port', '0'], { GOVERNOR_TOKEN: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GOVERNOR_TOKEN/);
  });
});
