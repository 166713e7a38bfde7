import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPackage } from '../../src/policy/index.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'governor-pkg-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const POLICY = 'class AIOSv1PolicyRule:\n    pass\n';

describe('policy packages', () => {
  it('accepts a directory holding only the original function.py', async () => {
    await fs.writeFile(path.join(dir, 'function.py'), POLICY);
    const pkg = await readPackage(dir);
    expect(pkg.manifest).toMatchObject({
      name: path.basename(dir),
      version: '0.0.0',
      language: 'python',
      entry: 'function.py',
    });
    expect(pkg.uri).toBe(`${path.basename(dir)}:0.0.0`);
    expect(pkg.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads name, version, tag, defaults and comma-separated tags from policy.yaml', async () => {
    await fs.writeFile(path.join(dir, 'function.py'), POLICY);
    await fs.writeFile(
      path.join(dir, 'policy.yaml'),
      'name: ip_allowlist\nversion: "1.0"\nrelease_tag: beta\ntags: network,security\nparameters: {limit: 3}\n',
    );
    const pkg = await readPackage(dir);
    expect(pkg.uri).toBe('ip_allowlist:1.0-beta');
    expect(pkg.manifest.tags).toEqual(['network', 'security']);
    expect(pkg.manifest.parameters).toEqual({ limit: 3 });
  });

  it('treats a single source file as a package whose entry is that file', async () => {
    await fs.writeFile(path.join(dir, 'rule.ts'), 'export default class {}');
    const pkg = await readPackage(path.join(dir, 'rule.ts'));
    expect(pkg.manifest).toMatchObject({ language: 'ts', entry: 'rule.ts' });
  });

  it('changes digest when the code changes', async () => {
    await fs.writeFile(path.join(dir, 'function.py'), POLICY);
    const a = await readPackage(dir);
    await fs.writeFile(path.join(dir, 'function.py'), `${POLICY}# v2\n`);
    expect((await readPackage(dir)).digest).not.toBe(a.digest);
  });

  it('rejects a malformed manifest with a 400 naming the field', async () => {
    await fs.writeFile(path.join(dir, 'function.py'), POLICY);
    await fs.writeFile(path.join(dir, 'policy.yaml'), 'language: cobol\n');
    await expect(readPackage(dir)).rejects.toMatchObject({
      code: 'bad_request',
      details: { field: 'language' },
    });
    await fs.writeFile(path.join(dir, 'policy.yaml'), 'colour: blue\n');
    await expect(readPackage(dir)).rejects.toMatchObject({
      code: 'bad_request',
      details: { field: 'colour' },
    });
    await fs.writeFile(path.join(dir, 'policy.yaml'), 'entry: missing.py\n');
    await expect(readPackage(dir)).rejects.toMatchObject({
      code: 'bad_request',
      details: { field: 'entry' },
    });
  });

  it('reports a missing directory as policy_not_found', async () => {
    await expect(readPackage(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'policy_not_found' });
  });
});
