import { badRequest, GovernorError } from '../../errors/index.js';
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

function checkDoc(doc: unknown): asserts doc is Doc {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw badRequest('id', 'a document must be a JSON object');
  const id = (doc as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') throw badRequest('id', 'a document needs a non-empty string id');
}

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
    await this.engine.ensureTable(collection);
    try {
      await this.conn.run(
        `INSERT INTO ${tableName(collection)} (id, doc) VALUES (${this.engine.placeholder(1)}, ${this.engine.docPlaceholder(2)})`,
        [doc.id, this.engine.encode(doc)],
      );
    } catch (err) {
      if (this.engine.isDuplicateKey(err))
        throw new GovernorError(
          'conflict',
          `a document with id '${doc.id}' already exists in ${collection}`,
          {
            collection,
            id: doc.id,
          },
        );
      throw err;
    }
    return doc;
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
