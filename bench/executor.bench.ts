/**
 * The Type 2 executor over HTTP: `governor executor` in child processes evaluating a trivial
 * sandboxed JS pre-check, loaded by autocannon from this process (so client and server share the
 * machine's cores). For one process and for `--workers 2`: the most it serves, and its latency
 * under a steady 10,000 req/s (the target's load, not saturation: at saturation latency is only
 * connections / throughput). Then a bare `node:http` server answering the same JSON, measured the
 * same way in the same run, for the ratio.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { report, round } from './report.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const bin = path.join(here, '../bin/governor.js');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const TARGET_RATE = 10_000;
const input = { action: 'create_block', data: { block_id: 'b-1', minInstances: 1, maxInstances: 3 } };
const body = JSON.stringify({ policy_rule_uri: 'bench.allow-all:v1', input_data: input });

function startChild(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--no-node-snapshot', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GOVERNOR_LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function load(url: string, overallRate?: number) {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: DURATION,
    overallRate,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const stop = (c: ChildProcess) => new Promise((r) => c.once('exit', r).kill('SIGTERM'));

/** A fresh executor with the trivial policy registered; warmed up before it is measured. */
async function withExecutor<T>(workers: number, measure: (url: string) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-bench-'));
  const gov = await startChild([
    bin,
    'executor',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--workers',
    String(workers),
  ]);
  try {
    const files = { 'index.js': fs.readFileSync(path.join(here, 'policies/trivial-js/index.js'), 'utf8') };
    const created = await fetch(`${gov.url}/policy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench.allow-all', version: 'v1', files }),
    });
    if (created.status !== 201) throw new Error(`push failed: ${await created.text()}`);
    const url = `${gov.url}/executor/default/execute_policy`;
    await load(url); // warm-up: code cache, JIT, python-free path
    return await measure(url);
  } finally {
    await stop(gov.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const saturatedAndSteady = async (url: string) => [await load(url), await load(url, TARGET_RATE)] as const;
const [one, steady] = await withExecutor(1, saturatedAndSteady);
const [two, steadyTwo] = await withExecutor(2, saturatedAndSteady);

const bareScript = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const b = JSON.parse(Buffer.concat(chunks));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ allowed: true, input_data: b.input_data }));
  });
});
s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));
process.on('SIGTERM', () => s.close(() => process.exit(0)));
`;
const bare = await startChild(['-e', bareScript]);
await load(bare.url);
const baseline = await load(bare.url);
await stop(bare.child);

const row = (name: string, r: typeof one) => ({
  case: name,
  req_per_s: round(r.rps, 0),
  p50_ms: r.p50,
  p99_ms: r.p99,
  errors: r.errors,
});
report(
  'executor',
  [
    row('executor, 1 process, saturated', one),
    row(`executor, 1 process, steady ${TARGET_RATE} req/s offered`, steady),
    row('executor --workers 2, saturated', two),
    row(`executor --workers 2, steady ${TARGET_RATE} req/s offered`, steadyTwo),
    row('bare node:http (1 process), saturated', baseline),
    {
      case: 'executor 1 process / bare',
      req_per_s: round(one.rps / baseline.rps, 3),
      p50_ms: '',
      p99_ms: '',
      errors: '',
    },
  ],
  {
    'executor req/s (2 cores)': '>= 10000',
    'executor p99': '<= 5 ms',
    connections: String(CONNECTIONS),
    cores: String(os.cpus().length),
  },
);
