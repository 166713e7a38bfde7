import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonExecutable } from '../../src/policy/python/interpreter.js';
import { example } from '../policy/fixtures.js';
import { enc, filesOf, type TestServer, testServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

const precheck = () => ({
  name: 'policies.prechecks.small',
  version: 'v0.0.1',
  release_tag: 'stable',
  tags: 'precheck,blocks',
  metadata: { author: 'ops' },
  files: filesOf(example('precheck-allow-small-blocks')),
});
const URI = 'policies.prechecks.small:v0.0.1-stable';

describe('the policy registry over HTTP', () => {
  it('registers a package and derives policy_rule_uri as name:version-release_tag', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/policy', payload: precheck() });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      policy_rule_uri: URI,
      language: 'python',
      entry: 'function.py',
      type: 'python_class_v1',
      tags: 'precheck,blocks',
      policy_parameters: { max_instances: 4 },
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const got = await s.app.inject({ method: 'GET', url: `/policy/${enc(URI)}` });
    expect(got.json()).toMatchObject({ policy_rule_uri: URI, metadata: { author: 'ops' } });
  });

  it('rejects a second registration of the same version with 409 conflict', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/policy', payload: precheck() });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('conflict');
  });

  it('rejects a malformed manifest with 400 naming the field', async () => {
    const payload = {
      ...precheck(),
      version: 'v9',
      files: { ...precheck().files, 'policy.yaml': 'language: cobol\n' },
    };
    const res = await s.app.inject({ method: 'POST', url: '/policy', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'bad_request', details: { field: 'language' } });
  });

  it('rejects a body without a name with 400 naming the field', async () => {
    const { name: _name, ...payload } = precheck();
    const res = await s.app.inject({ method: 'POST', url: '/policy', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('body.name');
  });

  it('updates parameters and metadata with $set, and refuses to touch code', async () => {
    const ok = await s.app.inject({
      method: 'PUT',
      url: `/policy/${enc(URI)}`,
      payload: { $set: { 'policy_parameters.max_instances': 8, description: 'now 8' } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ policy_parameters: { max_instances: 8 }, description: 'now 8' });
    for (const field of ['code', 'digest', 'version', 'files.function.py']) {
      const bad = await s.app.inject({
        method: 'PUT',
        url: `/policy/${enc(URI)}`,
        payload: { $set: { [field]: 'x' } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.field).toBe(`$set.${field}`);
    }
  });

  it('finds policies with a raw MongoDB filter', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/policy/query',
      payload: { release_tag: 'stable', tags: { $regex: 'precheck' }, version: { $gte: 'v0.0.1' } },
    });
    expect(res.json().map((r: { policy_rule_uri: string }) => r.policy_rule_uri)).toEqual([URI]);
    const none = await s.app.inject({
      method: 'POST',
      url: '/policy/query',
      payload: { release_tag: 'beta' },
    });
    expect(none.json()).toEqual([]);
  });

  it('lists versions of a name and downloads a package with its files', async () => {
    await s.app.inject({ method: 'POST', url: '/policy', payload: { ...precheck(), version: 'v0.0.2' } });
    const versions = await s.app.inject({ method: 'GET', url: '/policy/versions/policies.prechecks.small' });
    expect(versions.json().map((r: { version: string }) => r.version)).toEqual(['v0.0.1', 'v0.0.2']);
    const pkg = (await s.app.inject({ method: 'GET', url: `/policy/${enc(URI)}/package` })).json();
    expect(Buffer.from(pkg.files['function.py'], 'base64').toString()).toContain('class AIOSv1PolicyRule');
  });

  it('accepts the original code field as the source of function.py', async () => {
    const code = fs.readFileSync(path.join(example('gpu-allocator'), 'function.py'), 'utf8');
    const res = await s.app.inject({
      method: 'POST',
      url: '/policy',
      payload: { name: 'alloc', version: '1', code },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ policy_rule_uri: 'alloc:1', language: 'python' });
  });

  it('deletes a version; it is then policy_not_found', async () => {
    const del = await s.app.inject({ method: 'DELETE', url: '/policy/alloc:1' });
    expect(del.json()).toEqual({ policy_rule_uri: 'alloc:1', deleted: true });
    const res = await s.app.inject({ method: 'GET', url: '/policy/alloc:1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('policy_not_found');
  });
});

describe('registering code from an archive URL', () => {
  let server: http.Server;
  let base: string;
  let dir: string;
  beforeAll(async () => {
    // The original layout: a code/ folder with function.py, archived as .tar.xz, .tar.gz and .zip.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-archives-'));
    fs.mkdirSync(path.join(dir, 'code'));
    fs.copyFileSync(path.join(example('gpu-allocator'), 'function.py'), path.join(dir, 'code/function.py'));
    fs.writeFileSync(path.join(dir, 'code/requirements.txt'), '');
    execFileSync('tar', ['-cJf', 'p.tar.xz', 'code'], { cwd: dir });
    execFileSync('tar', ['-czf', 'p.tar.gz', 'code'], { cwd: dir });
    execFileSync(pythonExecutable(), ['-m', 'zipfile', '-c', 'p.zip', 'code'], { cwd: dir });
    server = http.createServer((req, res) => {
      const file = path.join(dir, path.basename(req.url ?? ''));
      if (!fs.existsSync(file)) return res.writeHead(404).end();
      res.end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['p.tar.xz', 'p.tar.gz', 'p.zip'])('fetches and unpacks %s', async (file) => {
    const payload = {
      name: 'archived',
      version: file.replaceAll('.', '_'),
      code: `${base}/${file}`,
      type: 'python_class_v1',
    };
    const res = await s.app.inject({ method: 'POST', url: '/policy', payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ entry: 'function.py', language: 'python' });
    const pkg = (
      await s.app.inject({ method: 'GET', url: `/policy/${enc(res.json().policy_rule_uri)}/package` })
    ).json();
    expect(Object.keys(pkg.files).sort()).toEqual(['function.py', 'requirements.txt']);
  });

  it('answers a URL that does not serve an archive with a 502 naming the code field', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/policy',
      payload: { name: 'x', version: '1', code: `${base}/missing.zip` },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({ code: 'upstream_failed', details: { field: 'code' } });
  });
});
