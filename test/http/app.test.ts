import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createControlPlane } from '../../src/control-plane.js';
import { buildApp } from '../../src/http/app.js';

describe('http app', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gov-app-'));
  const cp = await createControlPlane(loadConfig({ port: 0, dataDir, token: 'a-very-secret-token-123' }, {}));
  const app = await buildApp(cp);
  afterAll(async () => {
    await app.close();
    await cp.store.close();
  });

  it('reports ready on /healthz', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with a catalogued 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/no/such/route' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('serves the OpenAPI document at /docs/json', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });

  it('refuses a mutating request without the bearer token', async () => {
    const res = await app.inject({ method: 'POST', url: '/anything', payload: {} });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });
});

describe('config', () => {
  it('refuses to listen beyond loopback without a token', () => {
    expect(() => loadConfig({ host: '0.0.0.0' }, {})).toThrow(/bearer token/);
  });

  it('names the bad field of an invalid port', () => {
    expect(() => loadConfig({}, { GOVERNOR_PORT: 'eighty' })).toThrow(/GOVERNOR_PORT/);
  });

  it('takes limits from the environment, flags over env, and names a bad one', () => {
    const env = { GOVERNOR_POLICY_TIMEOUT_MS: '500', GOVERNOR_PYTHON_WORKERS: '4' };
    expect(loadConfig({}, env).limits).toMatchObject({
      policyTimeoutMs: 500,
      pythonWorkers: 4,
      jsMemoryMb: 64,
    });
    expect(loadConfig({ limits: { policyTimeoutMs: 900 } }, env).limits.policyTimeoutMs).toBe(900);
    expect(() => loadConfig({}, { GOVERNOR_JS_MEMORY_MB: '2' })).toThrow(
      expect.objectContaining({ code: 'bad_request', details: { field: 'GOVERNOR_JS_MEMORY_MB' } }),
    );
    expect(() => loadConfig({}, { GOVERNOR_INIT_JOB_TIMEOUT_MS: 'soon' })).toThrow(
      /GOVERNOR_INIT_JOB_TIMEOUT_MS/,
    );
  });
});
