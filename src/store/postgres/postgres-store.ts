import pg from 'pg';
import { GovernorError } from '../../errors/index.js';
import type { Doc, DocumentReader, DocumentWriter, StoreCapabilities } from '../document-store.js';
import { indexTarget, SqlDocuments } from '../sql/index.js';
import { TransactionalStore } from '../transactional-store.js';
import { pgConnection, postgresEngine, typeAt, valueAt } from './postgres-engine.js';

/** SQLSTATEs after which the whole transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 20;

/**
 * PostgreSQL (JSONB), for several controller replicas sharing state. One table per collection
 * (`c_<name>`: id text, doc jsonb) so indexes and scans stay per collection. Transactions run at
 * SERIALIZABLE and are retried on serialisation failures, so read-modify-write is safe across
 * processes without the caller naming locks; `fn` must therefore tolerate being run again.
 */
export class PostgresStore extends TransactionalStore {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly engine: ReturnType<typeof postgresEngine>;
  protected readonly reads: SqlDocuments;

  constructor(url: string, poolSize = 10) {
    super();
    this.pool = new pg.Pool({ connectionString: url, max: poolSize });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => {});
    this.engine = postgresEngine(this.pool, new Set());
    this.reads = new SqlDocuments(pgConnection(this.pool), this.engine);
  }

  /** A single INSERT is atomic on its own (the primary key catches duplicates): no transaction. */
  override insert<T extends Doc>(collection: string, doc: T): Promise<T> {
    return this.reads.insert(collection, doc);
  }

  /** A single UPDATE by id is atomic on its own. */
  override replace<T extends Doc>(collection: string, doc: T): Promise<boolean> {
    return this.reads.replace(collection, doc);
  }

  capabilities(): StoreCapabilities {
    return { sharedAcrossProcesses: true };
  }

  async transaction<R>(fn: (tx: DocumentReader & DocumentWriter) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await fn(new SqlDocuments(pgConnection(client), this.engine));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        const code = (err as { code?: string }).code;
        if (!code || !RETRYABLE.has(code)) throw err;
        if (attempt >= MAX_ATTEMPTS)
          throw new GovernorError('conflict', 'the transaction kept conflicting with concurrent ones', {
            attempts: attempt,
          });
        // Jittered backoff so the retrying transactions do not collide again in lockstep.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      } finally {
        client.release();
      }
    }
  }

  async ensureIndex(collection: string, path: string): Promise<void> {
    const target = indexTarget(collection, path);
    if (!target) return;
    await this.engine.ensureTable(collection);
    const table = `"c_${collection}"`;
    const statements = [
      `CREATE INDEX IF NOT EXISTS ${target.name('v')} ON ${table} (${valueAt(target.segments)})`,
      ...target.segments.map(
        (_, i) =>
          `CREATE INDEX IF NOT EXISTS ${target.name(`t${i}`)} ON ${table} ((${typeAt(target.segments.slice(0, i + 1))}))`,
      ),
    ];
    for (const sql of statements) {
      await this.pool.query(sql).catch((err: { code?: string }) => {
        if (err.code !== '23505' && err.code !== '42P07') throw err;
      });
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
