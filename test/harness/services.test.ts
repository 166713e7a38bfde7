import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freshPostgresDatabase, redisAvailable, skipReason } from './services.js';

const redis = await redisAvailable();
const pgDb = await freshPostgresDatabase();

describe('test harness', () => {
  it.skipIf(skipReason('redis', redis))('gives a reachable Redis', async () => {
    if (!redis.ok) return;
    const url = new URL(redis.value);
    const pong = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: url.hostname, port: Number(url.port) }, () => s.write('PING\r\n'));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString());
      });
      s.once('error', reject);
    });
    expect(pong).toBe('+PONG\r\n');
  });

  it.skipIf(skipReason('postgres', pgDb))('gives each caller its own PostgreSQL database', async () => {
    if (!pgDb.ok) return;
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: pgDb.value.url });
    await c.connect();
    const { rows } = await c.query('select current_database() as db');
    await c.end();
    expect(rows[0].db).toMatch(/^gov_test_/);
    await pgDb.value.drop();
  });
});
