/**
 * What every InfraBackend must do, run against each implementation (local now, Kubernetes later).
 * The fixture says how to run `examples/blocks/echo-block` and a one-shot job on that backend.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GovernorError } from '../../src/errors/index.js';
import {
  type Assignment,
  type InfraBackend,
  intercept,
  type WorkloadSpec,
  waitForInstance,
  waitUntilHealthy,
} from '../../src/infra/index.js';

export interface InfraBackendFixture {
  backend: InfraBackend;
  /** Runs examples/blocks/echo-block. */
  echo: WorkloadSpec;
  /** A job that prints `text` and exits with `code`. */
  printAndExit(text: string, code: number): WorkloadSpec;
  /** A job that never ends on its own. */
  hang: WorkloadSpec;
}

export interface InfraBackendSuiteOptions {
  name: string;
  create: () => Promise<InfraBackendFixture>;
  /** A reason to skip the whole suite (e.g. no cluster reachable); an empty reason is an error. */
  skip?: string;
}

export function infraBackendSuite({ name, create, skip }: InfraBackendSuiteOptions): void {
  if (skip !== undefined && skip.trim() === '') throw new Error(`${name}: a skip needs a reason`);
  if (skip) console.warn(`infra backend suite '${name}' skipped: ${skip}`);

  describe.skipIf(Boolean(skip))(`InfraBackend conformance: ${name}`, () => {
    let fx: InfraBackendFixture;
    let nodeId: string;
    const assignment = (over: Partial<Assignment> = {}): Assignment => ({
      blockId: 'block-a',
      instanceId: `inst-${randomUUID().slice(0, 8)}`,
      nodeId,
      gpus: [],
      env: {},
      ports: { http: 0 },
      ...over,
    });
    const startHealthy = async (over: Partial<Assignment> = {}) => {
      const info = await fx.backend.start(assignment(over), fx.echo);
      await waitUntilHealthy(fx.backend, info.instanceId);
      return info;
    };
    const mgmt = (url: string, action: string, data: unknown = {}) =>
      fetch(`${url}/mgmt`, { method: 'POST', body: JSON.stringify({ action, data }) });

    beforeEach(async () => {
      fx = await create();
      const nodes = await fx.backend.listNodes();
      nodeId = nodes.find((n) => n.healthy)!.id;
    });
    afterEach(() => fx.backend.close());

    it('lists nodes with their capacity and health', async () => {
      const nodes = await fx.backend.listNodes();
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) {
        expect(typeof n.id).toBe('string');
        expect(typeof n.healthy).toBe('boolean');
        expect(n.vcpus).toBeGreaterThanOrEqual(0);
        for (const g of n.gpus) expect(Number.isInteger(g.id)).toBe(true);
      }
    });

    it('starts an instance that sees its block, instance, node, GPUs and port', async () => {
      const a = assignment({ blockId: 'block-env', gpus: [] });
      const info = await fx.backend.start(a, fx.echo);
      expect(info).toMatchObject({
        instanceId: a.instanceId,
        blockId: 'block-env',
        nodeId,
        status: 'running',
      });
      expect(info.ports.http).toBeGreaterThan(0);
      await waitUntilHealthy(fx.backend, a.instanceId);
      const health = await (await fetch(`${info.url}/health`)).json();
      expect(health).toMatchObject({
        block_id: 'block-env',
        instance_id: a.instanceId,
        node_id: nodeId,
        gpus: '',
      });
    });

    it('lists instances by block with their status', async () => {
      const one = await fx.backend.start(assignment({ blockId: 'b1' }), fx.echo);
      await fx.backend.start(assignment({ blockId: 'b2' }), fx.echo);
      const listed = await fx.backend.list({ blockId: 'b1' });
      expect(listed.map((i) => [i.instanceId, i.status])).toEqual([[one.instanceId, 'running']]);
      expect(await fx.backend.list()).toHaveLength(2);
    });

    it('starts instances concurrently, each on its own port', async () => {
      const infos = await Promise.all(
        Array.from({ length: 5 }, () => fx.backend.start(assignment(), fx.echo)),
      );
      expect(new Set(infos.map((i) => i.ports.http)).size).toBe(5);
      await Promise.all(infos.map((i) => waitUntilHealthy(fx.backend, i.instanceId)));
      expect((await fx.backend.list()).every((i) => i.status === 'running')).toBe(true);
    });

    it('refuses the same id started twice at once', async () => {
      const a = assignment();
      const results = await Promise.allSettled([fx.backend.start(a, fx.echo), fx.backend.start(a, fx.echo)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(await fx.backend.list()).toHaveLength(1);
    });

    it('refuses a second instance with the same id', async () => {
      const a = assignment();
      await fx.backend.start(a, fx.echo);
      await expect(fx.backend.start(a, fx.echo)).rejects.toMatchObject({ code: 'conflict' });
    });

    it('reports an instance that dies on its own as failed, through watch', async () => {
      const info = await startHealthy();
      const failed = waitForInstance(fx.backend, info.instanceId, (i) => i.status === 'failed');
      await mgmt(info.url, 'exit', { code: 3 });
      const seen = await failed;
      expect(seen.exitCode).toBe(3);
      expect((await fx.backend.get(info.instanceId))?.status).toBe('failed');
      expect((await fx.backend.probe(info.instanceId)).healthy).toBe(false);
    });

    it('stops an instance: a stopped event, then gone from the list', async () => {
      const info = await startHealthy();
      const stopped = waitForInstance(fx.backend, info.instanceId, (i) => i.status === 'stopped');
      await fx.backend.stop(info.instanceId);
      await stopped;
      expect(await fx.backend.get(info.instanceId)).toBeUndefined();
      expect(await fx.backend.list()).toEqual([]);
    });

    it('answers not_found when stopping an unknown instance', async () => {
      await expect(fx.backend.stop('no-such-instance')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('probes /health: healthy on 200, unhealthy otherwise', async () => {
      const info = await startHealthy();
      expect(await fx.backend.probe(info.instanceId)).toMatchObject({ healthy: true, status: 200 });
      await mgmt(info.url, 'set_health', { healthy: false });
      expect(await fx.backend.probe(info.instanceId)).toMatchObject({ healthy: false, status: 503 });
    });

    it('keeps each instance its own logs', async () => {
      const one = await startHealthy();
      const two = await startHealthy();
      const logs = await fx.backend.logs(one.instanceId);
      expect(logs).toContain(one.instanceId);
      expect(logs).not.toContain(two.instanceId);
    });

    it('returns only the tail of the logs when asked', async () => {
      const info = await startHealthy();
      const all = await fx.backend.logs(info.instanceId);
      expect(await fx.backend.logs(info.instanceId, { tailBytes: 10 })).toBe(all.slice(-10));
    });

    it('runs a job to completion and returns its exit code and output', async () => {
      const ok = await fx.backend.runJob({ jobId: 'job-ok', workload: fx.printAndExit('hello-job', 0) });
      expect(ok).toMatchObject({ jobId: 'job-ok', exitCode: 0, timedOut: false });
      expect(ok.output).toContain('hello-job');
      const bad = await fx.backend.runJob({ jobId: 'job-bad', workload: fx.printAndExit('oops', 7) });
      expect(bad.exitCode).toBe(7);
    });

    it('ends a job that overruns its deadline and says so', async () => {
      const r = await fx.backend.runJob({ jobId: 'job-slow', workload: fx.hang, timeoutMs: 200 });
      expect(r.timedOut).toBe(true);
    });

    it('stops every instance on close', async () => {
      const info = await startHealthy();
      const stopped = waitForInstance(fx.backend, info.instanceId, (i) => i.status === 'stopped');
      await fx.backend.close();
      await stopped;
      expect(await fx.backend.list()).toEqual([]);
    });

    it('lets intercept inject a start failure without starting anything', async () => {
      const faulty = intercept(fx.backend, {
        start: () => {
          throw new GovernorError('instance_start_failed', 'injected');
        },
      });
      await expect(faulty.start(assignment(), fx.echo)).rejects.toMatchObject({
        code: 'instance_start_failed',
      });
      expect(await fx.backend.list()).toEqual([]);
      // Calls that are not intercepted reach the backend unchanged.
      expect(await faulty.listNodes()).toEqual(await fx.backend.listNodes());
    });
  });
}
