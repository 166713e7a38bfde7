/**
 * Policy evaluation cost per runtime, through the SDK (`loadPolicy(...).eval`), on a trivial
 * pre-check policy with a small input. Targets from issue 2.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadPolicy, PolicyRuntimes } from '../src/policy/index.js';
import { pythonExecutable } from '../src/policy/python/interpreter.js';
import { report, round, timeCalls } from './report.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const input = { action: 'create_block', data: { block_id: 'b-1', minInstances: 1, maxInstances: 3 } };
const N = 20_000;

class AllowAll {
  eval(_parameters: unknown, input: unknown, _context: unknown) {
    return { allowed: true, input_data: input };
  }
}

const runtimes = new PolicyRuntimes();
const plainPolicy = new AllowAll();
const plain = await timeCalls(N * 5, () => plainPolicy.eval({}, input, {}));

const trustedPolicy = await loadPolicy(path.join(here, 'policies/trivial-js'), { runtimes, trusted: true });
const trusted = await timeCalls(N * 5, () => trustedPolicy.eval(input));

const sandboxPolicy = await loadPolicy(path.join(here, 'policies/trivial-js'), { runtimes });
const sandboxed = await timeCalls(N, () => sandboxPolicy.eval(input));

const pythonPolicy = await loadPolicy(path.join(here, 'policies/trivial-py'), { runtimes });
const python = await timeCalls(N, () => pythonPolicy.eval(input));

const floor = await pythonEchoFloor();

await Promise.all([trustedPolicy.close(), sandboxPolicy.close(), pythonPolicy.close()]);
await runtimes.close();

const row = (name: string, r: { p50: number; p99: number; mean: number }) => ({
  case: name,
  p50_us: round(r.p50),
  p99_us: round(r.p99),
  mean_us: round(r.mean),
});
report(
  'policy',
  [
    row('plain JS call', plain),
    row('trusted JS via SDK', trusted),
    { case: 'trusted overhead over plain', p50_us: round(trusted.p50 - plain.p50), p99_us: '', mean_us: '' },
    row('sandboxed JS (isolated-vm)', sandboxed),
    row('warm Python (stateful)', python),
    row('bare python3 JSON-lines echo (floor)', floor),
  ],
  {
    'trusted overhead p50': '<= 5 us',
    'sandboxed JS p50': '<= 30 us',
    'warm Python p50': '<= 100 us',
    'warm Python p99': '<= 500 us',
  },
);

/** The cost of the pipe itself on this machine: a python3 loop that echoes JSON lines, no policy. */
async function pythonEchoFloor() {
  const script = [
    'import sys, os, json',
    "out = os.fdopen(os.dup(1), 'wb', buffering=0)",
    'for line in sys.stdin.buffer:',
    '    r = json.loads(line)',
    "    out.write(json.dumps({'id': r['id'], 'ok': True, 'result': r['input']}).encode() + b'\\n')",
  ].join('\n');
  const child = spawn(pythonExecutable(), ['-c', script]);
  let wake: (() => void) | undefined;
  child.stdout.on('data', () => wake?.());
  let id = 0;
  const r = await timeCalls(
    N,
    () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        child.stdin.write(
          `${JSON.stringify({ id: id++, op: 'eval', input, eval_parameters: {}, context: null })}\n`,
        );
      }),
  );
  child.kill();
  return r;
}
