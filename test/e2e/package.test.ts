/**
 * The package as a user installs it: `npm pack` (which builds dist/ through `prepare`), unpacked
 * into a fresh project. Its CLI runs from dist/ (an installed package has no src/), and
 * `import { loadPolicy } from 'governor'` evaluates Python and TypeScript policies from it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

let project: string;
let pkg: string;
let files: string[];

beforeAll(() => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: repoRoot, encoding: 'utf8' }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed[0]!.files.map((f) => f.path);
  project = path.join(out, 'app');
  pkg = path.join(project, 'node_modules/governor');
  fs.mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['xzf', path.join(out, packed[0]!.filename), '-C', pkg, '--strip-components=1']);
  // The package's own dependencies, as npm would have installed them.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(pkg, 'node_modules'));
}, 180_000);

const node = (args: string[], cwd = project) =>
  spawnSync(process.execPath, ['--no-node-snapshot', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

describe('the installed package', () => {
  it('ships the build and what it loads at run time, and no sources', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/governor.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/main.js',
        'dist/policy/python/worker.py',
        'dist/cluster/vdag/placeholder.mjs',
      ]),
    );
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);
  });

  it('runs its CLI from the build: a Python policy evaluated locally', () => {
    const r = node([
      path.join(pkg, 'bin/governor.js'),
      'policy',
      'eval',
      path.join(repoRoot, 'examples/policies/precheck-require-tag'),
      '--input',
      path.join(repoRoot, 'examples/inputs/add-block-untagged.json'),
    ]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ allowed: false });
  });

  it("gives an application loadPolicy from 'governor', for Python and TypeScript policies", () => {
    const script = `
      import { loadPolicy, PolicyRuntimes } from 'governor';
      const runtimes = new PolicyRuntimes();
      const py = await loadPolicy(${JSON.stringify(path.join(repoRoot, 'examples/policies/precheck-require-tag'))}, { runtimes });
      const ts = await loadPolicy(${JSON.stringify(path.join(repoRoot, 'examples/policies/session-balancer-ts'))}, { runtimes, stateful: true });
      const out = {
        py: await py.eval({ block_data: { id: 'b', tags: ['vision'] } }),
        ts: await ts.eval({ instances: ['i-1', 'i-2'], packet: { session_id: 's' } }),
      };
      await py.close();
      await ts.close();
      await runtimes.close();
      console.log(JSON.stringify(out));
    `;
    fs.writeFileSync(path.join(project, 'app.mjs'), script);
    const r = node(['app.mjs']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.py).toMatchObject({ allowed: true });
    expect(out.ts).toEqual({ instance_id: 'i-1' });
  });
});
