import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GovernorError } from '../../errors/index.js';
import { checkUniqueIds, duplicateId } from '../doc-checks.js';
import type { Appender, EncodedDoc } from '../document-store.js';
import { tableName } from '../sql/index.js';
import { SQLITE_WRITER_PRAGMAS, sqliteTableDdl } from './sqlite-engine.js';

/**
 * The thread's whole program. It is plain CommonJS evaluated from a string so it runs the same
 * under tsx, vitest and a build, with no file of its own to resolve.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
// Linux nice values are per thread: the writer yields the CPU to the threads serving calls.
try { require('node:os').setPriority(19); } catch {}
const Database = require(workerData.driver);
const db = new Database(workerData.file);
for (const pragma of workerData.pragmas) db.pragma(pragma);
db.exec(workerData.ddl);
const insert = db.prepare(workerData.insert);
const insertAll = db.transaction((rows) => {
  for (const [id, doc] of rows) {
    try { insert.run(id, doc); }
    catch (e) { if (e && e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') e.duplicate = id; throw e; }
  }
});
parentPort.on('message', (m) => {
  if (m.close) { db.close(); parentPort.postMessage({ id: m.id, ok: true }); return; }
  try { insertAll(m.rows); parentPort.postMessage({ id: m.id, ok: true }); }
  catch (e) { parentPort.postMessage({ id: m.id, ok: false, message: String(e && e.message), duplicate: e && e.duplicate }); }
});
`;

/**
 * Appends to one collection of a SQLite file on a thread and connection of its own: the insert
 * (a few µs per row, synchronous in better-sqlite3) then costs the event loop only a message of
 * already-encoded rows, and a busy write lock waits in that thread, not in the caller's.
 */
export class SqliteAppendThread implements Appender {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private exited = false;
  private closing: Promise<void> | undefined;

  constructor(
    file: string,
    private readonly collection: string,
  ) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        file,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        pragmas: SQLITE_WRITER_PRAGMAS,
        ddl: sqliteTableDdl(collection),
        insert: `INSERT INTO ${tableName(collection)} (id, doc) VALUES (?, ?)`,
      },
    });
    this.worker.on('message', (m: { id: number; ok: boolean; message?: string; duplicate?: string }) => {
      const waiter = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) waiter?.resolve();
      else if (m.duplicate) waiter?.reject(duplicateId(this.collection, m.duplicate));
      else waiter?.reject(new GovernorError('internal', `append to ${this.collection}: ${m.message}`));
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => {
      this.exited = true;
      this.failAll(new Error('the append thread exited'));
    });
  }

  async append(docs: EncodedDoc[]): Promise<void> {
    checkUniqueIds(this.collection, docs);
    if (docs.length > 0) await this.send({ rows: docs.map((d) => [d.id, d.json]) });
  }

  /** Idempotent: the decision log and the store may both close it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.send({ close: true }).catch(() => {});
      await this.worker.terminate();
    })();
    return this.closing;
  }

  private send(message: Record<string, unknown>): Promise<void> {
    if (this.exited)
      return Promise.reject(new GovernorError('unavailable', `the ${this.collection} appender is closed`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
