/**
 * `npm run bench store`: POST /blocks/query over 10,000 blocks (through the real route with
 * app.inject, so validation, pushdown, re-check and serialisation are all in), plus store insert and
 * update throughput; on SQLite and, when available, PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createControlPlane } from '../src/control-plane.js';
import { buildApp } from '../src/http/app.js';
import { freshPostgresDatabase, skipReason } from '../test/harness/services.js';
import { type Row, report, round, timeCalls } from './report.js';

const BLOCKS = 10_000;
const QUERIES = 300;

function block(i: number) {
  return {
    id: `block-${String(i).padStart(5, '0')}`,
    componentUri: `model.component-${i % 1000}:1.0.0`,
    blockMetadata: { description: `block ${i}` },
    policies: { autoscaler: { policyRuleURI: i % 3 === 0 ? '' : 'policies.autoscaler:1.0.0' } },
    cluster: { id: `cluster-${i % 50}`, reputation: i % 100 },
    minInstances: 1,
    maxInstances: 1 + (i % 4),
  };
}

async function benchStore(kind: 'sqlite' | 'postgres', url?: string): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `gov-bench-${kind}-`));
  const cp = await createControlPlane(loadConfig({ port: 0, dataDir, store: { kind, url } }, {}));
  const app = await buildApp(cp);
  const rows: Row[] = [];
  try {
    let t0 = performance.now();
    for (let i = 0; i < BLOCKS; i++) await cp.blocks.insert(block(i));
    const insertMs = performance.now() - t0;
    rows.push({
      case: `${kind}: insert (one transaction each)`,
      ops_per_s: round((BLOCKS / insertMs) * 1000, 0),
    });

    let n = 0;
    const updates = 2000;
    t0 = performance.now();
    for (let i = 0; i < updates; i++) {
      await cp.store.updateOne(
        'blocks',
        { id: block(i).id },
        { $inc: { maxInstances: 1 }, $set: { 'blockMetadata.n': i } },
      );
    }
    rows.push({
      case: `${kind}: updateOne by id`,
      ops_per_s: round((updates / (performance.now() - t0)) * 1000, 0),
    });

    const query = async (payload: object) => {
      const res = await app.inject({ method: 'POST', url: '/blocks/query', payload });
      if (res.statusCode !== 200) throw new Error(res.body);
      n = res.json().length;
    };
    const cases: Array<[string, object]> = [
      ['indexed equality (componentUri, 10 hits)', { query: { componentUri: 'model.component-7:1.0.0' } }],
      [
        'range (cluster.reputation > 97, sort id, limit 10)',
        { query: { 'cluster.reputation': { $gt: 97 } }, options: { sort: { id: 1 }, limit: 10 } },
      ],
      [
        '$or of two indexed equalities (~210 hits)',
        { query: { $or: [{ componentUri: 'model.component-7:1.0.0' }, { 'cluster.id': 'cluster-3' }] } },
      ],
      [
        'seed query (reputation > 90, policyRuleURI != "", limit 10)',
        {
          query: { 'cluster.reputation': { $gt: 90 }, 'policies.autoscaler.policyRuleURI': { $ne: '' } },
          options: { sort: { id: 1 }, limit: 10 },
        },
      ],
    ];
    for (const [name, payload] of cases) {
      const t = await timeCalls(QUERIES, () => query(payload), 20);
      rows.push({
        case: `${kind}: /blocks/query ${name}`,
        p50_ms: round(t.p50 / 1000),
        p99_ms: round(t.p99 / 1000),
        hits: n,
      });
    }
  } finally {
    await app.close();
    await cp.store.close();
  }
  return rows;
}

const rows = await benchStore('sqlite');
const pg = await freshPostgresDatabase();
const reason = skipReason('PostgreSQL', pg);
if (pg.ok) {
  try {
    rows.push(...(await benchStore('postgres', pg.value.url)));
  } finally {
    await pg.value.drop();
  }
} else {
  rows.push({ case: `postgres: skipped (${reason})` });
}
report('store', rows, { 'sqlite: /blocks/query indexed equality p50': '<= 5 ms' });
