import type Database from 'better-sqlite3';
import type { Doc } from '../document-store.js';
import type { CmpOp, Scalar } from '../mongo/index.js';
import { type SqlConnection, type SqlEngine, tableName } from '../sql/index.js';

/** `$."a"."b"`: segments are already restricted to safe names by the pushdown planner. */
export const jsonPath = (path: string[]) => `'$.${path.map((s) => `"${s}"`).join('.')}'`;
const extract = (path: string[]) => `json_extract(doc, ${jsonPath(path)})`;
const jsonType = (path: string[]) => `json_type(doc, ${jsonPath(path)})`;
/** SQLite binds no booleans; json_extract yields 1/0 for true/false, so bind those (a superset). */
const sqlValue = (v: Scalar) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** One collection's table: the store and its append threads both create it. */
export const sqliteTableDdl = (collection: string) =>
  `CREATE TABLE IF NOT EXISTS ${tableName(collection)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`;

/** Every connection that writes a Governor SQLite file: WAL, durable at checkpoints, waits for the lock. */
export const SQLITE_WRITER_PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000'];

/** A better-sqlite3 connection with a prepared-statement cache, seen as an async SqlConnection. */
export function sqliteConnection(db: Database.Database): SqlConnection {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      // Filter shapes vary (e.g. $in list lengths): bound the cache rather than grow without end.
      if (cache.size >= 500) cache.clear();
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  return {
    rows: async (sql, params) => prepare(sql).all(...params) as Array<{ id: string; doc: unknown }>,
    run: async (sql, params) => prepare(sql).run(...params).changes,
  };
}

export function sqliteEngine(writer: Database.Database, known: Set<string>): SqlEngine {
  return {
    placeholder: () => '?',
    docPlaceholder: () => '?',
    compare: (path: string[], op: CmpOp, value: Scalar, bind) =>
      `${extract(path)} ${op} ${bind(sqlValue(value))}`,
    in: (path, values, bind) => `${extract(path)} IN (${values.map((v) => bind(sqlValue(v))).join(', ')})`,
    exists: (path) => `${jsonType(path)} IS NOT NULL`,
    isArray: (path) => `${jsonType(path)} = 'array'`,
    limitClause: (limit, skip) =>
      (limit ? ` LIMIT ${limit}` : skip ? ' LIMIT -1' : '') + (skip ? ` OFFSET ${skip}` : ''),
    encode: (doc: Doc) => JSON.stringify(doc),
    decode: (raw) => JSON.parse(raw as string) as Doc,
    isMissingTable: (err) => /no such table/.test((err as Error).message ?? ''),
    isDuplicateKey: (err) => (err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY',
    ensureTable: async (collection) => {
      if (known.has(collection)) return;
      writer.exec(sqliteTableDdl(collection));
      known.add(collection);
    },
  };
}

/** Index statements for a dotted path: its value, and the array test of each prefix used by the pre-filter. */
export function sqliteIndexStatements(
  collection: string,
  path: string[],
  name: (suffix: string) => string,
): string[] {
  const table = tableName(collection);
  const stmts = [`CREATE INDEX IF NOT EXISTS ${name('v')} ON ${table} (${extract(path)})`];
  path.forEach((_, i) => {
    stmts.push(`CREATE INDEX IF NOT EXISTS ${name(`t${i}`)} ON ${table} (${jsonType(path.slice(0, i + 1))})`);
  });
  return stmts;
}
