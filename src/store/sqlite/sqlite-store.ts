import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { badRequest } from '../../errors/index.js';
import type {
  Doc,
  DocumentReader,
  DocumentStore,
  DocumentWriter,
  Filter,
  FindOptions,
  StoreCapabilities,
  Update,
} from '../document-store.js';
import { Mutex, SqlDocuments } from '../sql/index.js';
import { sqliteConnection, sqliteEngine, sqliteIndexStatements } from './sqlite-engine.js';

const SAFE_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The embedded default: one SQLite file in WAL mode. Writes and transactions go through one
 * writer connection guarded by an async mutex (BEGIN IMMEDIATE … COMMIT), so a read-modify-write
 * spanning awaits cannot interleave with another; plain reads use a second connection and see the
 * last committed state without waiting.
 */
export class SqliteStore implements DocumentStore {
  readonly kind = 'sqlite';
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly mutex = new Mutex();
  private readonly known = new Set<string>();
  private readonly writes: SqlDocuments;
  private readonly reads: SqlDocuments;
  private readonly engine: ReturnType<typeof sqliteEngine>;

  constructor(readonly file: string) {
    this.writer = new Database(file);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('synchronous = NORMAL');
    this.writer.pragma('busy_timeout = 5000');
    this.reader = new Database(file);
    this.reader.pragma('busy_timeout = 5000');
    this.engine = sqliteEngine(this.writer, this.known);
    this.writes = new SqlDocuments(sqliteConnection(this.writer), this.engine);
    this.reads = new SqlDocuments(sqliteConnection(this.reader), this.engine);
  }

  capabilities(): StoreCapabilities {
    return { sharedAcrossProcesses: false };
  }

  get<T extends Doc = Doc>(collection: string, id: string) {
    return this.reads.get<T>(collection, id);
  }
  find<T extends Doc = Doc>(collection: string, filter?: Filter, options?: FindOptions) {
    return this.reads.find<T>(collection, filter, options);
  }
  count(collection: string, filter?: Filter) {
    return this.reads.count(collection, filter);
  }
  insert<T extends Doc>(collection: string, doc: T) {
    return this.transaction((tx) => tx.insert(collection, doc));
  }
  updateOne<T extends Doc = Doc>(collection: string, filter: Filter, update: Update) {
    return this.transaction((tx) => tx.updateOne<T>(collection, filter, update));
  }
  updateMany(collection: string, filter: Filter, update: Update) {
    return this.transaction((tx) => tx.updateMany(collection, filter, update));
  }
  replace<T extends Doc>(collection: string, doc: T) {
    return this.transaction((tx) => tx.replace(collection, doc));
  }
  delete(collection: string, filter: Filter) {
    return this.transaction((tx) => tx.delete(collection, filter));
  }

  transaction<R>(fn: (tx: DocumentReader & DocumentWriter) => Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.writes);
        this.writer.exec('COMMIT');
        return result;
      } catch (err) {
        this.writer.exec('ROLLBACK');
        // A table created inside the rolled-back transaction is gone again.
        this.known.clear();
        throw err;
      }
    });
  }

  async ensureIndex(collection: string, path: string): Promise<void> {
    const segments = path.split('.');
    if (!segments.every((s) => SAFE_SEGMENT.test(s)))
      throw badRequest('path', `cannot index path '${path}': use dotted field names`, { path });
    if (path === 'id') return;
    const hash = createHash('sha1').update(`${collection}\0${path}`).digest('hex').slice(0, 12);
    await this.transaction(async () => {
      await this.engine.ensureTable(collection);
      for (const sql of sqliteIndexStatements(collection, segments, (s) => `"ix_${hash}_${s}"`))
        this.writer.exec(sql);
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      this.reader.close();
      this.writer.close();
    });
  }
}
