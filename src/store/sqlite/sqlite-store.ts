import Database from 'better-sqlite3';
import type { Appender, DocumentReader, DocumentWriter, StoreCapabilities } from '../document-store.js';
import { indexTarget, Mutex, SqlDocuments } from '../sql/index.js';
import { TransactionalStore } from '../transactional-store.js';
import { SqliteAppendThread } from './append-thread.js';
import {
  SQLITE_WRITER_PRAGMAS,
  sqliteConnection,
  sqliteEngine,
  sqliteIndexStatements,
} from './sqlite-engine.js';

/**
 * The embedded default: one SQLite file in WAL mode. Writes and transactions go through one
 * writer connection guarded by an async mutex (BEGIN IMMEDIATE … COMMIT), so a read-modify-write
 * spanning awaits cannot interleave with another; plain reads use a second connection and see the
 * last committed state without waiting.
 */
export class SqliteStore extends TransactionalStore {
  readonly kind = 'sqlite';
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly mutex = new Mutex();
  private readonly known = new Set<string>();
  private readonly writes: SqlDocuments;
  protected readonly reads: SqlDocuments;
  private readonly engine: ReturnType<typeof sqliteEngine>;
  /** Prepared once: every single write is its own transaction, so these run on every write. */
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly appenders: SqliteAppendThread[] = [];

  constructor(readonly file: string) {
    super();
    this.writer = new Database(file);
    for (const pragma of SQLITE_WRITER_PRAGMAS) this.writer.pragma(pragma);
    // SQLite's advice for long-lived connections: refresh planner statistics where they are stale.
    this.writer.pragma('optimize = 0x10002');
    this.reader = new Database(file);
    this.reader.pragma('busy_timeout = 5000');
    this.engine = sqliteEngine(this.writer, this.known);
    this.begin = this.writer.prepare('BEGIN IMMEDIATE');
    this.commit = this.writer.prepare('COMMIT');
    this.writes = new SqlDocuments(sqliteConnection(this.writer), this.engine);
    this.reads = new SqlDocuments(sqliteConnection(this.reader), this.engine);
  }

  capabilities(): StoreCapabilities {
    return { sharedAcrossProcesses: false };
  }

  transaction<R>(fn: (tx: DocumentReader & DocumentWriter) => Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      this.begin.run();
      try {
        const result = await fn(this.writes);
        this.commit.run();
        return result;
      } catch (err) {
        // SQLite may have rolled back already (e.g. a failed COMMIT); then there is nothing to undo.
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        // A table created inside the rolled-back transaction is gone again.
        this.known.clear();
        throw err;
      }
    });
  }

  /** Appends run on their own thread and connection (see `SqliteAppendThread`). */
  override appender(collection: string): Appender {
    const appender = new SqliteAppendThread(this.file, collection);
    this.appenders.push(appender);
    return appender;
  }

  async ensureIndex(collection: string, path: string): Promise<void> {
    const target = indexTarget(collection, path);
    if (!target) return;
    await this.transaction(async () => {
      await this.engine.ensureTable(collection);
      for (const sql of sqliteIndexStatements(collection, target.segments, target.name))
        this.writer.exec(sql);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.appenders.splice(0).map((a) => a.close()));
    await this.mutex.run(async () => {
      this.reader.close();
      this.writer.pragma('optimize');
      this.writer.close();
    });
  }
}
