import { describe, expect, it } from 'vitest';
import { PythonWorker } from '../../src/policy/python/worker-process.js';

describe('python worker process', () => {
  it('fails calls with unavailable when its worker cannot start, and tries again only when called', async () => {
    const worker = new PythonWorker(256, '/nonexistent/governor-worker.py');
    const call = () => worker.call({ op: 'drop', iid: 'x' }, 'p:v1', 2000);
    await expect(call()).rejects.toMatchObject({
      code: 'unavailable',
      details: { policy: 'p:v1', exitCode: 2, stderr: expect.stringContaining("can't open file") },
    });
    const generation = worker.generation;
    await expect(call()).rejects.toMatchObject({ code: 'unavailable' });
    // One more start for the one more call, not a loop of restarts in between.
    expect(worker.generation).toBe(generation + 1);
    await worker.close();
  });
});
