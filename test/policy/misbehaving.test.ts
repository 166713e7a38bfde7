import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalPolicy, loadPolicy, PolicyRuntimes } from '../../src/policy/index.js';
import { example } from './fixtures.js';

// A short deadline keeps the infinite-loop cases quick; the caps are the defaults.
const runtimes = new PolicyRuntimes({
  timeoutMs: 300,
  pythonMemoryMb: 256,
  jsMemoryMb: 64,
  pythonWorkers: 2,
});
// Reaching a memory cap takes a garbage collector's last attempts first: give it a generous deadline.
const roomy = new PolicyRuntimes({
  timeoutMs: 10_000,
  pythonMemoryMb: 256,
  jsMemoryMb: 64,
  pythonWorkers: 1,
});
afterAll(() => Promise.all([runtimes.close(), roomy.close()]));

describe.each([
  { language: 'python', dir: 'misbehaving/python' },
  { language: 'js (sandboxed)', dir: 'misbehaving/js' },
])('a misbehaving $language policy', ({ dir }) => {
  let policy: LocalPolicy;
  beforeAll(async () => {
    policy = await loadPolicy(example(dir), { runtimes, stateful: true });
  });
  afterAll(() => policy.close());

  const keepsServing = async () => {
    await expect(policy.eval({ do: 'nothing', n: 1 })).resolves.toEqual({
      ok: true,
      echo: { do: 'nothing', n: 1 },
    });
  };

  it('fails an infinite loop with policy_timeout, then keeps serving', async () => {
    await expect(policy.eval({ do: 'loop' })).rejects.toMatchObject({
      code: 'policy_timeout',
      details: { policy: policy.uri, deadlineMs: 300 },
    });
    await keepsServing();
  });

  it('fails a memory bomb with policy_memory_exceeded, then keeps serving', async () => {
    const hog = await loadPolicy(example(dir), { runtimes: roomy, stateful: true });
    await expect(hog.eval({ do: 'memory' })).rejects.toMatchObject({ code: 'policy_memory_exceeded' });
    await expect(hog.eval({ do: 'nothing' })).resolves.toMatchObject({ ok: true });
    await hog.close();
  });

  it('fails a raise with policy_crashed carrying the traceback, then keeps serving', async () => {
    const err = await policy.eval({ do: 'raise' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'policy_crashed', details: { policy: policy.uri } });
    expect((err as { details: { traceback: string } }).details.traceback).toContain(
      'the policy failed on purpose',
    );
    await keepsServing();
  });

  it('fails a result that is not JSON with policy_invalid_result, then keeps serving', async () => {
    await expect(policy.eval({ do: 'bad_return' })).rejects.toMatchObject({ code: 'policy_invalid_result' });
    await keepsServing();
  });

  it('fails an attempt to exit the process with policy_crashed, then keeps serving', async () => {
    await expect(policy.eval({ do: 'exit' })).rejects.toMatchObject({ code: 'policy_crashed' });
    await keepsServing();
  });

  it('answers calls made while another call hangs', async () => {
    // Caught at once: the JS sandbox runs on the calling thread, so this may settle before the next line.
    const hung = policy.eval({ do: 'loop' }).catch((e: unknown) => e);
    const other = await loadPolicy(example(dir), { runtimes, stateful: false });
    try {
      await expect(other.eval({ do: 'nothing', n: 2 })).resolves.toMatchObject({ ok: true });
    } finally {
      await other.close();
    }
    expect(await hung).toMatchObject({ code: 'policy_timeout' });
  });
});

describe('the JS sandbox', () => {
  it('gives untrusted code no require', async () => {
    const policy = await loadPolicy(example('misbehaving/js'), { runtimes });
    await expect(policy.eval({ do: 'require' })).rejects.toMatchObject({
      code: 'policy_crashed',
      message: expect.stringContaining('require is not defined'),
    });
    await policy.close();
  });

  it('moves a stateless evaluation that runs long off the event loop, so the process goes on meanwhile', async () => {
    const slow = await loadPolicy(example('misbehaving/js'), { runtimes, stateful: false });
    const quick = await loadPolicy(example('misbehaving/js'), { runtimes, stateful: false });
    const hung = slow.eval({ do: 'loop' }).catch((e: unknown) => e);
    const loopTurned = new Promise((resolve) => setImmediate(() => resolve('event loop turned')));
    expect(await Promise.race([hung.then(() => 'hung settled'), loopTurned])).toBe('event loop turned');
    await expect(quick.eval({ do: 'nothing' })).resolves.toMatchObject({ ok: true });
    expect(await hung).toMatchObject({ code: 'policy_timeout', details: { deadlineMs: 300 } });
    // And the policy that hung answers the next call as usual.
    await expect(slow.eval({ do: 'nothing' })).resolves.toMatchObject({ ok: true });
    await Promise.all([slow.close(), quick.close()]);
  });

  it('evaluates stateless calls made together as one batch, each meeting its own fate', async () => {
    const policy = await loadPolicy(example('misbehaving/js'), { runtimes, stateful: false });
    const outcome = (input: Record<string, unknown>) =>
      policy.eval(input).catch((e: { code: string }) => ({ failed: e.code }));
    const results = await Promise.all([
      outcome({ do: 'nothing', n: 1 }),
      outcome({ do: 'raise' }),
      outcome({ do: 'nothing', n: 2 }),
      outcome({ do: 'bad_return' }),
      outcome({ do: 'loop' }),
      outcome({ do: 'never' }),
      outcome({ do: 'nothing', n: 3 }),
    ]);
    expect(results).toEqual([
      { ok: true, echo: { do: 'nothing', n: 1 } },
      { failed: 'policy_crashed' },
      { ok: true, echo: { do: 'nothing', n: 2 } },
      { failed: 'policy_invalid_result' },
      { failed: 'policy_timeout' },
      { failed: 'policy_timeout' },
      { ok: true, echo: { do: 'nothing', n: 3 } },
    ]);
    await policy.close();
  });

  it('fails only the memory bomb of a batch, and answers its batch-mates', async () => {
    const policy = await loadPolicy(example('misbehaving/js'), { runtimes: roomy, stateful: false });
    const outcome = (input: Record<string, unknown>) =>
      policy.eval(input).catch((e: { code: string }) => ({ failed: e.code }));
    expect(
      await Promise.all([
        outcome({ do: 'nothing', n: 1 }),
        outcome({ do: 'memory' }),
        outcome({ do: 'nothing', n: 2 }),
      ]),
    ).toEqual([
      { ok: true, echo: { do: 'nothing', n: 1 } },
      { failed: 'policy_memory_exceeded' },
      { ok: true, echo: { do: 'nothing', n: 2 } },
    ]);
    await policy.close();
  });

  it('fails a never-settling promise with policy_timeout', async () => {
    const policy = await loadPolicy(example('misbehaving/js'), { runtimes });
    await expect(policy.eval({ do: 'never' })).rejects.toMatchObject({ code: 'policy_timeout' });
    await policy.close();
  });

  it('refuses to load a policy that imports Node built-ins', async () => {
    await expect(loadPolicy(example('misbehaving/js-imports-fs'), { runtimes })).rejects.toMatchObject({
      code: 'policy_load_failed',
      message: expect.stringContaining('node:fs'),
    });
  });
});

describe('loading a broken Python policy', () => {
  it('fails with policy_load_failed when the module has no AIOSv1PolicyRule', async () => {
    await expect(loadPolicy(example('misbehaving/python-no-class'), { runtimes })).rejects.toMatchObject({
      code: 'policy_load_failed',
      message: expect.stringContaining('AIOSv1PolicyRule'),
    });
  });
});
