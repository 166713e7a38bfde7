import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bin = path.join(root, 'bin/governor.js');
const examples = path.join(root, 'examples/cluster');
const run = promisify(execFile);

/** Runs `governor …` against the server; resolves stdout, or rejects with the exit code and stderr. */
function governor(url: string, ...args: string[]) {
  return run(process.execPath, ['--no-node-snapshot', bin, ...args, '--url', url], { cwd: root });
}

describe('governor cluster, nodes and blocks commands against a running `governor up`', () => {
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gov-cli-'));
    server = spawn(
      process.execPath,
      [
        '--no-node-snapshot',
        bin,
        'up',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--cluster-config',
        path.join(examples, 'laptop-gpu-cluster.yaml'),
      ],
      {
        cwd: root,
        env: { ...process.env, GOVERNOR_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    server.stdout!.setEncoding('utf8');
    while (!/listening on (\S+)/.test(out)) {
      const [chunk] = (await once(server.stdout!, 'data')) as [string];
      out += chunk;
    }
    url = /listening on (\S+)/.exec(out)![1]!;
  });

  afterAll(async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  });

  it('shows the cluster nodes as a table', async () => {
    const { stdout } = await governor(url, 'cluster', 'get');
    expect(stdout.split('\n')[0]).toMatch(/^NODE\s+GPUS\s+GPUMEMORY\s+VCPUS\s+MEMORY$/);
    expect(stdout).toMatch(/node-1\s+2\s+32768\s+32\s+131072/);
  });

  it('adds a node from a file and removes it again, printing JSON', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gov-node-')), 'node.yaml');
    const node = JSON.parse(fs.readFileSync(path.join(examples, 'node-a100.json'), 'utf8'));
    fs.writeFileSync(file, YAML.stringify({ ...node, id: 'node-cli' }));
    const added = JSON.parse((await governor(url, 'nodes', 'add', file, '-o', 'json')).stdout);
    expect(added.nodes.count).toBe(3);
    expect(added.gpus.count).toBe(5);
    const removed = YAML.parse((await governor(url, 'nodes', 'rm', 'node-cli', '-o', 'yaml')).stdout);
    expect(removed.nodes.count).toBe(2);
  });

  it('queries blocks with a filter, sort and limit', async () => {
    const { stdout } = await governor(
      url,
      'blocks',
      'query',
      '{"cluster.reputation": {"$gt": 90}}',
      '--sort',
      'id:-1',
      '--limit',
      '5',
      '-o',
      'json',
    );
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it('prints the error code and exits 1 for an unknown operator or block', async () => {
    await expect(governor(url, 'blocks', 'query', '{"a": {"$bogus": 1}}')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('error: invalid_query'),
    });
    await expect(governor(url, 'blocks', 'get', 'nope')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("error: not_found: block 'nope' not found"),
    });
  });
});
