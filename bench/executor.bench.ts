/**
 * The Type 2 executor over HTTP: `governor executor` in child processes evaluating a trivial
 * sandboxed JS pre-check, for one process and for `--workers 2`, then a bare `node:http` server
 * answering the same JSON, measured the same way in the same run, for the ratio.
 *
 * The load comes from bench/loadgen.c (compiled here with `cc`): a one-thread C client, so that the
 * client takes little of the two cores the server runs on (autocannon, a Node client, took about
 * one of them). Two ways for each server:
 * - closed loop, 8 connections: each sends its next request when the last is answered; the server
 *   is saturated, so this is its throughput, and the p99 at that throughput (as wrk measures);
 * - open loop at 10,000 req/s: requests are due on a fixed schedule whether or not earlier ones
 *   were answered, and latency counts from when a request was due (as wrk2 measures), so a pause
 *   is charged to every request it delays.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { report, round } from './report.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const bin = path.join(here, '../bin/governor.js');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CLOSED_CONNECTIONS = 8;
const OPEN_CONNECTIONS = 32;
const TARGET_RATE = 10_000;
const input = { action: 'create_block', data: { block_id: 'b-1', minInstances: 1, maxInstances: 3 } };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-bench-load-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
const bodyFile = path.join(work, 'body.json');
fs.writeFileSync(bodyFile, JSON.stringify({ policy_rule_uri: 'bench.allow-all:v1', input_data: input }));

const loadgen = path.join(work, 'loadgen');
const cc = spawnSync('cc', ['-O2', '-o', loadgen, path.join(here, 'loadgen.c')], { encoding: 'utf8' });
if (cc.status !== 0) {
  process.stderr.write(
    `executor bench: cannot build bench/loadgen.c with cc: ${cc.error?.message ?? cc.stderr}\n`,
  );
  process.exit(1);
}

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

interface Load {
  requests: number;
  errors: number;
  backlog: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
}

/** `rate` 0: closed loop over 8 connections; else open loop at that rate over 32. */
function load(url: string, rate: number, seconds = DURATION): Load {
  const u = new URL(url);
  const connections = rate === 0 ? CLOSED_CONNECTIONS : OPEN_CONNECTIONS;
  const args = [u.hostname, u.port, u.pathname, bodyFile, connections, seconds, rate].map(String);
  const r = spawnSync(loadgen, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`loadgen failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Load;
}

const closedAndOpen = (url: string) => {
  load(url, 0, 3); // warm-up: code cache, JIT
  return [load(url, 0), load(url, TARGET_RATE)] as const;
};

const stop = (c: ChildProcess) => new Promise((r) => c.once('exit', r).kill('SIGTERM'));

/** A fresh executor with the trivial policy registered; warmed up before it is measured. */
async function withExecutor<T>(workers: number, measure: (url: string) => T): Promise<T> {
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
    return measure(`${gov.url}/executor/default/execute_policy`);
  } finally {
    await stop(gov.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const [one, oneOpen] = await withExecutor(1, closedAndOpen);
const [two, twoOpen] = await withExecutor(2, closedAndOpen);

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
const [baseline, baselineOpen] = closedAndOpen(bare.url);
await stop(bare.child);

const closed = `closed loop, ${CLOSED_CONNECTIONS} connections`;
const open = `open loop, ${TARGET_RATE} req/s`;
const row = (name: string, r: Load) => ({
  case: name,
  req_per_s: round(r.rps, 0),
  p50_ms: round(r.p50_ms, 2),
  p99_ms: round(r.p99_ms, 2),
  errors: r.errors,
  backlog: r.backlog,
});
report(
  'executor',
  [
    row(`executor, 1 process, ${closed}`, one),
    row(`executor, 1 process, ${open}`, oneOpen),
    row(`executor --workers 2, ${closed}`, two),
    row(`executor --workers 2, ${open}`, twoOpen),
    row(`bare node:http, ${closed}`, baseline),
    row(`bare node:http, ${open}`, baselineOpen),
    {
      case: 'executor 1 process / bare, closed loop',
      req_per_s: round(one.rps / baseline.rps, 3),
      p50_ms: '',
      p99_ms: '',
      errors: '',
      backlog: '',
    },
  ],
  {
    'executor req/s (2 cores), closed loop': '>= 10000',
    'executor p99 at that load': '<= 5 ms',
    'load generator': 'bench/loadgen.c, one thread, on the same 2 cores',
    cores: String(os.cpus().length),
  },
);
