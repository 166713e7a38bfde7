/**
 * The DocumentStore seam: collections of JSON documents keyed by `id`, queried and updated with
 * MongoDB filter and update documents. Implementations live in `sqlite/` and `postgres/`; all of
 * them pass `test/conformance/document-store.suite.ts`.
 */

export type Doc = Record<string, unknown> & { id: string };
/** A MongoDB query filter, e.g. `{ "cluster.reputation": { "$gt": 90 } }`. */
export type Filter = Record<string, unknown>;
/** A MongoDB update document, e.g. `{ "$set": { "minInstances": 2 } }`. */
export type Update = Record<string, unknown>;
/** `{ field: 1 | -1 }`, applied in key order. */
export type Sort = Record<string, 1 | -1>;
/** Inclusion (`{a: 1}`) or exclusion (`{a: 0}`) projection; `id` is kept unless excluded. */
export type Projection = Record<string, 0 | 1 | boolean>;

export interface FindOptions {
  sort?: Sort;
  limit?: number;
  skip?: number;
  projection?: Projection;
}

export interface UpdateResult {
  matched: number;
  modified: number;
}

/** Reads only: what the allocator, scanner and query routes need. */
export interface DocumentReader {
  get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined>;
  find<T extends Doc = Doc>(collection: string, filter?: Filter, options?: FindOptions): Promise<T[]>;
  count(collection: string, filter?: Filter): Promise<number>;
}

export interface DocumentWriter {
  /** Throws GovernorError `conflict` when a document with the same id exists. */
  insert<T extends Doc>(collection: string, doc: T): Promise<T>;
  /**
   * Inserts all of `docs` or none: a conflict names the first id that exists already or repeats in
   * `docs`. One statement per few hundred documents, so logs and imports do not pay per row.
   */
  insertMany<T extends Doc>(collection: string, docs: T[]): Promise<T[]>;
  /** Applies a Mongo update to the first matching document; returns the updated document or undefined. */
  updateOne<T extends Doc = Doc>(collection: string, filter: Filter, update: Update): Promise<T | undefined>;
  updateMany(collection: string, filter: Filter, update: Update): Promise<UpdateResult>;
  /** Replaces the whole document with this id; returns false when there was none. */
  replace<T extends Doc>(collection: string, doc: T): Promise<boolean>;
  /** Deletes matching documents; returns how many. */
  delete(collection: string, filter: Filter): Promise<number>;
}

/** A document already encoded as JSON (see `encodeDoc`), so its writer need not encode it again. */
export interface EncodedDoc {
  id: string;
  json: string;
}

/**
 * The write path of an append-only, high-rate collection (a log): documents are only inserted, all
 * of a batch or none, as `insertMany`, and the write does not hold the caller's event loop. They
 * come encoded, so the caller pays for encoding as each one is made, not for a batch at once.
 */
export interface Appender {
  append(docs: EncodedDoc[]): Promise<void>;
  close(): Promise<void>;
}

export interface StoreCapabilities {
  /** Several processes may share this store (PostgreSQL yes, SQLite file: one writer host). */
  sharedAcrossProcesses: boolean;
}

export interface DocumentStore extends DocumentReader, DocumentWriter {
  readonly kind: string;
  capabilities(): StoreCapabilities;
  /**
   * Runs `fn` atomically: reads inside see a consistent view, and concurrent transactions that
   * touch the same documents are serialised, so read-modify-write (GPU reservation) is safe.
   */
  transaction<R>(fn: (tx: DocumentReader & DocumentWriter) => Promise<R>): Promise<R>;
  /** An appender for `collection`; the store closes it when it closes. */
  appender(collection: string): Appender;
  /** Creates an index on a dotted path so pushed-down filters on it are fast. */
  ensureIndex(collection: string, path: string): Promise<void>;
  close(): Promise<void>;
}
