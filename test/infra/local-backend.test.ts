import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalBackend, type NodeInfo, waitUntilHealthy } from '../../src/infra/index.js';
import { infraBackendSuite } from '../conformance/infra-backend.suite.js';

const repo = path.resolve(import.meta.dirname, '../..');
const nodes: NodeInfo[] = [
  { id: 'node-a', healthy: true, gpus: [{ id: 0, memoryMb: 16000 }], vcpus: 8, memoryMb: 32000 },
  { id: 'node-b', healthy: true, gpus: [], vcpus: 4, memoryMb: 8000 },
];
const echo = { image: 'local:./examples/blocks/echo-block/server.mjs' };

function backend(): LocalBackend {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-infra-'));
  return new LocalBackend({ nodes, dataDir, baseDir: repo, graceMs: 500 });
}

infraBackendSuite({
  name: 'local',
  create: async () => ({
    backend: backend(),
    echo,
    printAndExit: (text, code) => ({
      image: 'local:node',
      command: [process.execPath, '-e', `console.log(${JSON.stringify(text)}); process.exit(${code})`],
    }),
    hang: { image: 'local:sleep 3600' },
  }),
});

interface Health {
  pid: number;
  child_pid: number;
  gpus: string;
}
const health = async (url: string) => (await (await fetch(`${url}/health`)).json()) as Health;

/** True when the pid no longer runs (gone, or a zombie waiting for its reaper). */
function dead(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

/** Waits for a condition the kernel settles asynchronously (a process being reaped). */
async function eventually(cond: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setImmediate(r));
  }
  return true;
}

describe('local backend', () => {
  let b: LocalBackend;
  afterEach(() => b?.close());

  it('puts GPU ids into CUDA_VISIBLE_DEVICES and named ports into the environment', async () => {
    b = backend();
    const info = await b.start(
      {
        blockId: 'b',
        instanceId: 'i-gpu',
        nodeId: 'node-a',
        gpus: [0, 2],
        env: {},
        ports: { http: 0, grpc: 0 },
      },
      echo,
    );
    await waitUntilHealthy(b, 'i-gpu');
    expect((await health(info.url)).gpus).toBe('0,2');
    expect(info.ports.grpc).toBeGreaterThan(0);
  });

  it('refuses a node that is not one of its logical nodes', async () => {
    b = backend();
    await expect(
      b.start({ blockId: 'b', instanceId: 'i', nodeId: 'node-z', gpus: [], env: {}, ports: {} }, echo),
    ).rejects.toMatchObject({ code: 'invalid_placement', details: { reason: 'unknown_node' } });
  });

  it('refuses a registry image it cannot run, naming the image', async () => {
    b = backend();
    await expect(
      b.start(
        { blockId: 'b', instanceId: 'i', nodeId: 'node-a', gpus: [], env: {}, ports: {} },
        { image: 'nginx:1' },
      ),
    ).rejects.toMatchObject({ code: 'instance_start_failed', details: { image: 'nginx:1' } });
  });

  it('fails to start a command that does not exist', async () => {
    b = backend();
    await expect(
      b.start(
        { blockId: 'b', instanceId: 'i', nodeId: 'node-a', gpus: [], env: {}, ports: {} },
        { image: 'local:/no/such/binary' },
      ),
    ).rejects.toMatchObject({ code: 'instance_start_failed' });
  });

  it('marks a logical node unhealthy in the inventory', async () => {
    b = backend();
    b.setNodeHealth('node-b', false, 'simulated failure');
    const listed = await b.listNodes();
    expect(listed.find((n) => n.id === 'node-b')).toMatchObject({
      healthy: false,
      reason: 'simulated failure',
    });
  });

  it('leaves no process behind after close, including what instances started', async () => {
    b = backend();
    const pids: number[] = [];
    for (const id of ['i-1', 'i-2']) {
      const info = await b.start(
        { blockId: 'b', instanceId: id, nodeId: 'node-a', gpus: [], env: { SPAWN_CHILD: '1' }, ports: {} },
        echo,
      );
      await waitUntilHealthy(b, id);
      const h = await health(info.url);
      pids.push(h.pid, h.child_pid);
    }
    expect(pids.every((p) => !dead(p))).toBe(true);
    await b.close();
    expect(await eventually(() => pids.every(dead))).toBe(true);
  });

  it('kills what a crashed instance left behind', async () => {
    b = backend();
    const info = await b.start(
      { blockId: 'b', instanceId: 'i-c', nodeId: 'node-a', gpus: [], env: { SPAWN_CHILD: '1' }, ports: {} },
      echo,
    );
    await waitUntilHealthy(b, 'i-c');
    const { pid, child_pid } = await health(info.url);
    process.kill(pid, 'SIGKILL');
    expect(await eventually(() => dead(child_pid))).toBe(true);
  });
});
