import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { httpUrl } from '../http/url.js';

/** `--workers`: a positive count, or `auto` for one per core. */
export function parseWorkers(value: string): number {
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(`--workers must be a whole number from 1 to 256 or "auto", not '${value}'`);
  return n;
}

/**
 * The primary of a server that runs in `count` processes sharing one listening socket
 * (node:cluster), so a stateless server uses every core. It only supervises: it announces the URL
 * once every worker listens, replaces a worker that dies after it listened, and on SIGINT/SIGTERM
 * stops them all and exits 0. A worker that dies before it ever listened (a bad port, a bad
 * config) stops the whole server with exit 1, rather than being restarted in a loop.
 */
export function superviseWorkers(count: number, what: string): void {
  let stopping = false;
  let url: string | undefined;
  const listened = new WeakSet<Worker>();

  const stopAll = (code: number) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(code);
    let left = workers.length;
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) process.exit(code);
      });
      w.process.kill('SIGTERM');
    }
  };

  cluster.on('listening', (worker, address) => {
    listened.add(worker);
    if (url || Object.values(cluster.workers ?? {}).some((w) => w && !listened.has(w))) return;
    url = httpUrl(address.address ?? '127.0.0.1', address.port);
    process.stdout.write(`${what} listening on ${url} (${count} workers)\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    if (!listened.has(worker)) {
      process.stderr.write(`governor: a worker ${how} before it listened; stopping\n`);
      stopAll(1);
      return;
    }
    process.stderr.write(`governor: worker ${worker.process.pid} ${how}; starting another\n`);
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      process.stdout.write(`governor: ${signal} received, stopping ${count} workers\n`);
      stopAll(0);
    });
  }
  // Workers accept from the shared socket themselves: with the primary handing connections out
  // (round robin), one handed to a worker that just died is lost and its client waits forever.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  for (let i = 0; i < count; i++) cluster.fork();
}
