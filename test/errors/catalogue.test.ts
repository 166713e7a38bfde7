import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createControlPlane } from '../../src/control-plane.js';
import { ERROR_CODES, errorCodes, GovernorError } from '../../src/errors/index.js';
import { buildApp } from '../../src/http/app.js';

const docs = fs.readFileSync(path.join(import.meta.dirname, '../../docs/errors.md'), 'utf8');

describe('error catalogue', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gov-errors-'));
  const cp = await createControlPlane(loadConfig({ port: 0, dataDir }, {}));
  const app = await buildApp(cp);
  afterAll(async () => {
    await app.close();
    await cp.manager.stop();
  });

  it.each(errorCodes)('documents %s with its status in docs/errors.md', (code) => {
    expect(docs).toContain(`| \`${code}\` | ${ERROR_CODES[code].status} |`);
  });

  it('publishes every code in the OpenAPI ErrorResponse enum', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const schema = JSON.stringify(spec.components.schemas);
    for (const code of errorCodes) expect(schema).toContain(`"${code}"`);
  });

  it('rehydrates an error that crossed a process boundary as data', () => {
    const e = GovernorError.fromData({
      code: 'policy_timeout',
      message: 'slow',
      details: { policy: 'p:v1' },
    });
    expect(e.status).toBe(504);
    expect(e.details).toEqual({ policy: 'p:v1' });
    expect(GovernorError.fromData({ code: 'no_such_code' }).code).toBe('internal');
  });
});
