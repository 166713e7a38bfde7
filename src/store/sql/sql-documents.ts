import { badRequest, GovernorError } from '../../errors/index.js';
import { checkBatch, checkDoc, duplicateId } from '../doc-checks.js';
import type {
  Doc,
  DocumentReader,
  DocumentWriter,
  Filter,
  FindOptions,
  Update,
  UpdateResult,
} from '../document-store.js';
import {
  applyUpdate,
  compileFilter,
  planFilter,
  runQuery,
  validateFilter,
  validateOptions,
  validateUpdate,
} from '../mongo/index.js';
import { renderWhere, type SqlDialect } from './render.js';

/** One SQL connection (or transaction) as the document layer sees it. */
export interface SqlConnection {
  rows(sql: string, params: unknown[]): Promise<Array<{ id: string; doc: unknown }>>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params: unknown[]): Promise<number>;
}

/** The parts of a SQL store that differ by engine, beyond rendering predicates. */
export interface SqlEngine extends SqlDialect {
  /** Creates the collection's table if needed (idempotent). */
  ensureTable(collection: string): Promise<void>;
  isMissingTable(err: unknown): boolean;
  isDuplicateKey(err: unknown): boolean;
  encode(doc: Doc): unknown;
  decode(raw: unknown): Doc;
  /** `INSERT` placeholder for the encoded document (`?` or `$2::jsonb`). */
  docPlaceholder(index: number): string;
  /** ` LIMIT … OFFSET …` for validated non-negative integers (0 or undefined: none). */
  limitClause(limit: number | undefined, skip: number | undefined): string;
}

const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,50}$/;

/** Each collection is its own table, so indexes are per collection without partial predicates. */
export function tableName(collection: string): string {
  if (!COLLECTION_NAME.test(collection))
    throw badRequest('collection', `invalid collection name '${collection}'`, { collection });
  return `"c_${collection}"`;
}

/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 200;

/**
 * DocumentReader and DocumentWriter over one SQL connection. Reads push the pre-filter of
 * `mongo/pushdown.ts` into SQL and re-check every candidate in process; writes read, apply the
 * update in process, and write back, so callers must hold a transaction around writes (the stores
 * do: see `SqliteStore` and `PostgresStore`).
 */
export class SqlDocuments implements DocumentReader, DocumentWriter {
  constructor(
    private readonly conn: SqlConnection,
    private readonly engine: SqlEngine,
  ) {}

  /**
   * Candidates in id order. With `sqlOrder` (direction, limit, offset) SQL orders them; otherwise
   * they are sorted here, which leaves the planner free to use the pre-filter's indexes instead of
   * walking the primary key to avoid a sort.
   */
  private async select(
    collection: string,
    where: string,
    params: unknown[],
    sqlOrder?: string,
  ): Promise<Doc[]> {
    const table = tableName(collection);
    const order = sqlOrder === undefined ? '' : ` ORDER BY id${sqlOrder}`;
    try {
      const rows = await this.conn.rows(`SELECT id, doc FROM ${table} WHERE ${where}${order}`, params);
      if (sqlOrder === undefined) rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return rows.map((r) => this.engine.decode(r.doc));
    } catch (err) {
      if (this.engine.isMissingTable(err)) return [];
      throw err;
    }
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined> {
    const [doc] = await this.select(collection, `id = ${this.engine.placeholder(1)}`, [id]);
    return doc as T | undefined;
  }

  async find<T extends Doc = Doc>(
    collection: string,
    filter: Filter = {},
    options: FindOptions = {},
  ): Promise<T[]> {
    validateFilter(filter);
    validateOptions(options);
    const plan = planFilter(filter);
    const { sql, params } = renderWhere(this.engine, plan.where);
    const sortKeys = Object.keys(options.sort ?? {});
    const sqlOrders =
      plan.exact && (sortKeys.length === 0 || (sortKeys.length === 1 && sortKeys[0] === 'id'));
    if (!sqlOrders) return runQuery<T>(await this.select(collection, sql, params), filter, options);
    // The filter is exactly SQL and the order is by id: let SQL sort, skip and limit.
    const desc = options.sort?.id === -1 ? ' DESC' : '';
    const docs = await this.select(
      collection,
      sql,
      params,
      `${desc}${this.engine.limitClause(options.limit, options.skip)}`,
    );
    return runQuery<T>(docs, {}, options.projection ? { projection: options.projection } : {});
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    return (await this.matching(collection, filter)).length;
  }

  async insert<T extends Doc>(collection: string, doc: T): Promise<T> {
    checkDoc(doc);
    await this.insertRows(collection, [doc]);
    return doc;
  }

  async insertMany<T extends Doc>(collection: string, docs: T[]): Promise<T[]> {
    checkBatch(collection, docs);
    for (let i = 0; i < docs.length; i += INSERT_CHUNK)
      await this.insertRows(collection, docs.slice(i, i + INSERT_CHUNK));
    return docs;
  }

  private async insertRows(collection: string, docs: Doc[]): Promise<void> {
    await this.engine.ensureTable(collection);
    const table = tableName(collection);
    const { placeholder, docPlaceholder } = this.engine;
    if (docs.length > 1) {
      // The engine's duplicate-key error names no row (and aborts a PostgreSQL transaction), so
      // a batch looks for clashes first to name one.
      const ids = docs.map((d) => d.id);
      const found = await this.conn.rows(
        `SELECT id, NULL AS doc FROM ${table} WHERE id IN (${ids.map((_, i) => placeholder(i + 1)).join(', ')})`,
        ids,
      );
      const taken = new Set(found.map((r) => r.id));
      const clash = docs.find((d) => taken.has(d.id));
      if (clash) throw duplicateId(collection, clash.id);
    }
    const values = docs.map((_, i) => `(${placeholder(2 * i + 1)}, ${docPlaceholder(2 * i + 2)})`);
    try {
      await this.conn.run(
        `INSERT INTO ${table} (id, doc) VALUES ${values.join(', ')}`,
        docs.flatMap((d) => [d.id, this.engine.encode(d)]),
      );
    } catch (err) {
      if (!this.engine.isDuplicateKey(err)) throw err;
      if (docs.length === 1) throw duplicateId(collection, docs[0]!.id);
      // A concurrent writer took an id between the look-up and the insert.
      throw new GovernorError(
        'conflict',
        `a document of the batch was inserted concurrently in ${collection}`,
        {
          collection,
        },
      );
    }
  }

  private async write(collection: string, doc: Doc): Promise<number> {
    return this.conn.run(
      `UPDATE ${tableName(collection)} SET doc = ${this.engine.docPlaceholder(1)} WHERE id = ${this.engine.placeholder(2)}`,
      [this.engine.encode(doc), doc.id],
    );
  }

  private async matching(collection: string, filter: Filter): Promise<Doc[]> {
    validateFilter(filter);
    const plan = planFilter(filter);
    const { sql, params } = renderWhere(this.engine, plan.where);
    const candidates = await this.select(collection, sql, params);
    if (plan.exact) return candidates;
    const matches = compileFilter(filter);
    return candidates.filter(matches);
  }

  async updateOne<T extends Doc = Doc>(
    collection: string,
    filter: Filter,
    update: Update,
  ): Promise<T | undefined> {
    validateUpdate(update);
    const [first] = await this.matching(collection, filter);
    if (!first) return undefined;
    const { doc, changed } = applyUpdate(first, update);
    if (changed) await this.write(collection, doc);
    return doc as T;
  }

  async updateMany(collection: string, filter: Filter, update: Update): Promise<UpdateResult> {
    validateUpdate(update);
    const matches = await this.matching(collection, filter);
    let modified = 0;
    for (const m of matches) {
      const { doc, changed } = applyUpdate(m, update);
      if (changed) modified += await this.write(collection, doc);
    }
    return { matched: matches.length, modified };
  }

  async replace<T extends Doc>(collection: string, doc: T): Promise<boolean> {
    checkDoc(doc);
    try {
      return (await this.write(collection, doc)) > 0;
    } catch (err) {
      if (this.engine.isMissingTable(err)) return false;
      throw err;
    }
  }

  async delete(collection: string, filter: Filter): Promise<number> {
    const ids = (await this.matching(collection, filter)).map((d) => d.id);
    let deleted = 0;
    // Bounded batches keep the statement under every engine's parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      const list = batch.map((_, j) => this.engine.placeholder(j + 1)).join(', ');
      deleted += await this.conn.run(`DELETE FROM ${tableName(collection)} WHERE id IN (${list})`, batch);
    }
    return deleted;
  }
}
