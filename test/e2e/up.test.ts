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

  it('refuses to listen beyond loopback without a token, naming the fix', async () => {
    const r = await runCli(['up', '--host', '0.0.0.0', '--port', '0'], { GOVERNOR_TOKEN: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GOVERNOR_TOKEN/);
  });
});
