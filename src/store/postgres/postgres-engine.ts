import type pg from 'pg';
import type { Doc } from '../document-store.js';
import type { CmpOp, Scalar } from '../mongo/index.js';
import { type SqlConnection, type SqlEngine, tableName } from '../sql/index.js';

/** `'{a,b}'`: segments are already restricted to safe names by the pushdown planner. */
const pathLiteral = (path: string[]) => `'{${path.join(',')}}'`;
export const valueAt = (path: string[]) => `(doc #> ${pathLiteral(path)})`;
export const typeAt = (path: string[]) => `jsonb_typeof(doc #> ${pathLiteral(path)})`;

const pgCode = (err: unknown) => (err as { code?: string }).code;

/** A pool or a checked-out client, seen as a SqlConnection. */
export function pgConnection(q: pg.Pool | pg.PoolClient): SqlConnection {
  return {
    rows: async (sql, params) => (await q.query(sql, params)).rows as Array<{ id: string; doc: unknown }>,
    run: async (sql, params) => (await q.query(sql, params)).rowCount ?? 0,
  };
}

function compare(path: string[], op: CmpOp, value: Scalar, bind: (v: unknown) => string): string {
  if (op !== '=' && typeof value === 'string') {
    // jsonb orders strings by the database collation; MongoDB (and mingo) by code point: use "C".
    return `(CASE WHEN ${typeAt(path)} = 'string' THEN doc #>> ${pathLiteral(path)} END) COLLATE "C" ${op} ${bind(value)}`;
  }
  // jsonb equality is typed; jsonb range order puts booleans above numbers and strings below,
  // a superset the in-process re-check narrows.
  return `${valueAt(path)} ${op} ${bind(JSON.stringify(value))}::jsonb`;
}

/** Creates tables outside the caller's transaction, so concurrent creators do not abort each other. */
export function postgresEngine(pool: pg.Pool, known: Set<string>): SqlEngine {
  return {
    placeholder: (i) => `$${i}`,
    docPlaceholder: (i) => `$${i}::jsonb`,
    compare,
    in: (path, values, bind) =>
      `${valueAt(path)} IN (${values.map((v) => `${bind(JSON.stringify(v))}::jsonb`).join(', ')})`,
    exists: (path) => `${valueAt(path)} IS NOT NULL`,
    isArray: (path) => `${typeAt(path)} = 'array'`,
    limitClause: (limit, skip) => (limit ? ` LIMIT ${limit}` : '') + (skip ? ` OFFSET ${skip}` : ''),
    encode: (doc: Doc) => JSON.stringify(doc),
    decode: (raw) => raw as Doc,
    isMissingTable: (err) => pgCode(err) === '42P01',
    isDuplicateKey: (err) => pgCode(err) === '23505',
    ensureTable: async (collection) => {
      if (known.has(collection)) return;
      try {
        await pool.query(
          `CREATE TABLE IF NOT EXISTS ${tableName(collection)} (id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL)`,
        );
      } catch (err) {
        // Two creators racing: the loser sees a duplicate type or relation; the table exists.
        if (pgCode(err) !== '23505' && pgCode(err) !== '42P07') throw err;
      }
      known.add(collection);
    },
  };
}
