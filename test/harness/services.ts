/**
 * Real Redis and PostgreSQL for tests. Order of preference: the URL in REDIS_URL / DATABASE_URL,
 * then the local default (127.0.0.1:6379, postgres://postgres@127.0.0.1:5432/test), then a
 * throwaway server started from the binaries on PATH. When none can be had the caller skips with
 * the printed reason, except under CI=true, where that is a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type Availability<T> = { ok: true; value: T } | { ok: false; reason: string };

const started: ChildProcess[] = [];
process.once('exit', () => {
  for (const p of started) p.kill('SIGKILL');
});

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

function findBinary(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...extraDirs];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {}
  }
  return undefined;
}

async function waitFor(check: () => Promise<boolean>, what: string, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up`);
}

let redisUrl: Promise<Availability<string>> | undefined;

/** A Redis URL; tests must use their own key prefix (see uniqueName). */
export function redisAvailable(): Promise<Availability<string>> {
  redisUrl ??= (async () => {
    if (process.env.REDIS_URL) return { ok: true as const, value: process.env.REDIS_URL };
    if (await canConnect('127.0.0.1', 6379)) return { ok: true as const, value: 'redis://127.0.0.1:6379' };
    const bin = findBinary('redis-server');
    if (!bin)
      return {
        ok: false as const,
        reason: 'no REDIS_URL, nothing on 127.0.0.1:6379 and no redis-server on PATH',
      };
    const port = await freePort();
    const p = spawn(
      bin,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    started.push(p);
    await waitFor(() => canConnect('127.0.0.1', port), 'redis-server');
    return { ok: true as const, value: `redis://127.0.0.1:${port}` };
  })();
  return redisUrl;
}

let pgAdminUrl: Promise<Availability<string>> | undefined;

function startThrowawayPostgres(): Promise<Availability<string>> {
  const pgDirs = fs.existsSync('/usr/lib/postgresql')
    ? fs.readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  const initdb = findBinary('initdb', pgDirs);
  const postgres = findBinary('postgres', pgDirs);
  if (!initdb || !postgres) {
    return Promise.resolve({
      ok: false,
      reason: 'no DATABASE_URL, nothing on 127.0.0.1:5432 and no initdb/postgres binaries',
    });
  }
  return (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'governor-pg-'));
    // initdb refuses to run as root; run it and the server as the postgres user when we are root.
    const asRoot = process.getuid?.() === 0;
    const cmd = (bin: string, args: string[]): [string, string[]] =>
      asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    if (asRoot) execFileSync('chown', ['postgres', dir]);
    execFileSync(...cmd(initdb, ['-D', dir, '-A', 'trust', '-U', 'postgres']), { stdio: 'ignore' });
    const port = await freePort();
    const p = spawn(...cmd(postgres, ['-D', dir, '-p', String(port), '-k', dir, '-h', '127.0.0.1']), {
      stdio: 'ignore',
    });
    started.push(p);
    await waitFor(() => canConnect('127.0.0.1', port), 'postgres', 200);
    return { ok: true as const, value: `postgres://postgres@127.0.0.1:${port}/postgres` };
  })();
}

/** An admin URL of a PostgreSQL server where this process may create databases. */
export function postgresAvailable(): Promise<Availability<string>> {
  pgAdminUrl ??= (async () => {
    if (process.env.DATABASE_URL) return { ok: true as const, value: process.env.DATABASE_URL };
    if (await canConnect('127.0.0.1', 5432))
      return { ok: true as const, value: 'postgres://postgres@127.0.0.1:5432/test' };
    return startThrowawayPostgres();
  })();
  return pgAdminUrl;
}

/** Creates a fresh database on the server and returns its URL and a drop function. */
export async function freshPostgresDatabase(): Promise<
  Availability<{ url: string; drop: () => Promise<void> }>
> {
  const admin = await postgresAvailable();
  if (!admin.ok) return admin;
  const { default: pg } = await import('pg');
  const name = uniqueName('gov_test').toLowerCase();
  const client = new pg.Client({ connectionString: admin.value });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin.value);
  url.pathname = `/${name}`;
  return {
    ok: true,
    value: {
      url: url.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: admin.value });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    },
  };
}

/**
 * Call at collection time: returns a reason to skip, printing it, or throws under CI=true so a
 * missing service in CI fails instead of silently skipping.
 */
export function skipReason(what: string, availability: Availability<unknown>): string | undefined {
  if (availability.ok) return undefined;
  const msg = `${what} unavailable: ${availability.reason}`;
  if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: a missing service is a failure)`);
  console.warn(`SKIP ${msg}`);
  return msg;
}
