import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from '../policy/fixtures.js';
import { type GovernorProcess, runCli, startGovernor } from './helpers.js';

describe('governor policy (against a running governor)', { timeout: 120_000 }, () => {
  let gov: GovernorProcess;
  let tmp: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    gov = await startGovernor({}, []);
    env = { GOVERNOR_URL: gov.url };
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-cli-'));
    fs.writeFileSync(path.join(tmp, 'input.json'), JSON.stringify({ block: { maxInstances: 6 } }));
    fs.writeFileSync(path.join(tmp, 'params.yaml'), 'max_instances: 8\n');
  });
  afterAll(async () => {
    expect(await gov.stop()).toBe(0);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const URI = 'policies.prechecks.allow-small-blocks:v0.0.2-beta';

  it('pushes a directory with flags over policy.yaml, lists and gets it', async () => {
    const pushArgs = [
      'policy',
      'push',
      example('precheck-allow-small-blocks'),
      '--version',
      'v0.0.2',
      '--release-tag',
      'beta',
    ];
    const push = await runCli(pushArgs, env);
    expect(push.stderr).toBe('');
    expect(JSON.parse(push.stdout).policy_rule_uri).toBe(URI);
    const again = await runCli(pushArgs, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: conflict:/);
    const list = await runCli(['policy', 'list', '-o', 'table'], env);
    expect(list.stdout).toContain(URI);
    const get = await runCli(['policy', 'get', URI, '-o', 'yaml'], env);
    expect(get.stdout).toContain('language: python');
  });

  it('evaluates a URI on the server and a directory locally, with parameters from a file', async () => {
    const input = path.join(tmp, 'input.json');
    const remote = await runCli(['policy', 'eval', URI, '--input', input], env);
    expect(JSON.parse(remote.stdout)).toMatchObject({ allowed: false });
    const tuned = await runCli(
      ['policy', 'eval', URI, '--input', input, '--parameters', path.join(tmp, 'params.yaml')],
      env,
    );
    expect(JSON.parse(tuned.stdout)).toMatchObject({ allowed: true });
    const local = await runCli(['policy', 'eval', example('precheck-allow-small-blocks'), '--input', input]);
    expect(JSON.parse(local.stdout)).toMatchObject({ allowed: false });
  });

  it('prints a policy failure as error: code: message with the traceback, exit 1', async () => {
    fs.writeFileSync(path.join(tmp, 'raise.json'), '{"do": "raise"}');
    const r = await runCli([
      'policy',
      'eval',
      example('misbehaving/python'),
      '--input',
      path.join(tmp, 'raise.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: policy_crashed: .*RuntimeError: the policy failed on purpose/);
    expect(r.stderr).toContain('function.py');
  });

  it('pulls the package files and removes the version', async () => {
    const out = path.join(tmp, 'pulled');
    const pull = await runCli(['policy', 'pull', URI, out], env);
    expect(pull.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'function.py'), 'utf8')).toContain('class AIOSv1PolicyRule');
    expect((await runCli(['policy', 'rm', URI], env)).code).toBe(0);
    const gone = await runCli(['policy', 'get', URI], env);
    expect(gone.stderr).toMatch(/^error: policy_not_found:/);
  });
});

describe('governor executor', { timeout: 120_000 }, () => {
  it('runs an executor alone under the given id and stops cleanly', async () => {
    const ex = await startGovernor({}, ['--id', 'edge-1'], 'executor');
    try {
      const res = await fetch(`${ex.url}/executor/edge-1`);
      expect(((await res.json()) as { executor_id: string }).executor_id).toBe('edge-1');
      const call = await fetch(`${ex.url}/executor/edge-1/execute_policy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ policy_rule_uri: 'missing:v1', input_data: {} }),
      });
      expect(call.status).toBe(404);
      // The cluster controller stays with `governor up`: its instances live in one process.
      const action = await fetch(`${ex.url}/executeAction`, { method: 'POST' });
      expect(action.status).toBe(404);
    } finally {
      expect(await ex.stop()).toBe(0);
    }
  });

  it('serves one port from several workers, keeps serving when one dies, and stops them all', async () => {
    const ex = await startGovernor({}, ['--workers', '2'], 'executor');
    const workers = () => childrenOf(ex.child.pid!);
    try {
      expect(workers()).toHaveLength(2);
      const files = {
        'index.js':
          'export default class { eval(p, input) { return { allowed: true, input_data: input }; } }',
      };
      const push = await fetch(`${ex.url}/policy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'e2e.allow', version: 'v1', files }),
      });
      expect(push.status).toBe(201);
      process.kill(workers()[0]!, 'SIGKILL');
      // Whichever worker takes each call, it sees the registry the other one wrote.
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${ex.url}/executor/default/execute_policy`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ policy_rule_uri: 'e2e.allow:v1', input_data: { i } }),
          // A connection lost with the dead worker would hang here: fail instead.
          signal: AbortSignal.timeout(15_000),
        });
        expect(await res.json()).toEqual({ allowed: true, input_data: { i } });
      }
    } finally {
      const left = workers();
      expect(await ex.stop()).toBe(0);
      expect(left.filter(alive)).toEqual([]);
    }
  });

  it('refuses a worker count that is not a positive number', async () => {
    const r = await runCli(['executor', '--workers', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--workers must be a whole number from 1 to 256 or "auto"');
  });
});

/** The node processes whose parent is `pid` (cluster workers). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (
          Number(stat[1]) === pid &&
          stat[0] !== 'Z' &&
          fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('governor.js')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
}
