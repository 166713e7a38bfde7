import type {
  Appender,
  Doc,
  DocumentReader,
  DocumentStore,
  DocumentWriter,
  Filter,
  FindOptions,
  StoreCapabilities,
  Update,
} from './document-store.js';

/**
 * What every store shares: reads go to a reader that sees committed state, and every single write
 * is its own transaction, so a write never interleaves with someone's read-modify-write.
 */
export abstract class TransactionalStore implements DocumentStore {
  abstract readonly kind: string;
  protected abstract readonly reads: DocumentReader;
  abstract capabilities(): StoreCapabilities;
  abstract transaction<R>(fn: (tx: DocumentReader & DocumentWriter) => Promise<R>): Promise<R>;
  abstract ensureIndex(collection: string, path: string): Promise<void>;
  abstract close(): Promise<void>;

  /** By default an appender is `insertMany`: right for stores whose writes are asynchronous I/O. */
  appender(collection: string): Appender {
    return {
      append: async (docs) => {
        await this.insertMany(
          collection,
          docs.map((d) => JSON.parse(d.json) as Doc),
        );
      },
      close: async () => {},
    };
  }

  get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined> {
    return this.reads.get<T>(collection, id);
  }
  find<T extends Doc = Doc>(collection: string, filter?: Filter, options?: FindOptions): Promise<T[]> {
    return this.reads.find<T>(collection, filter, options);
  }
  count(collection: string, filter?: Filter): Promise<number> {
    return this.reads.count(collection, filter);
  }
  insert<T extends Doc>(collection: string, doc: T): Promise<T> {
    return this.transaction((tx) => tx.insert(collection, doc));
  }
  insertMany<T extends Doc>(collection: string, docs: T[]): Promise<T[]> {
    return this.transaction((tx) => tx.insertMany(collection, docs));
  }
  updateOne<T extends Doc = Doc>(collection: string, filter: Filter, update: Update): Promise<T | undefined> {
    return this.transaction((tx) => tx.updateOne<T>(collection, filter, update));
  }
  updateMany(collection: string, filter: Filter, update: Update) {
    return this.transaction((tx) => tx.updateMany(collection, filter, update));
  }
  replace<T extends Doc>(collection: string, doc: T): Promise<boolean> {
    return this.transaction((tx) => tx.replace(collection, doc));
  }
  delete(collection: string, filter: Filter): Promise<number> {
    return this.transaction((tx) => tx.delete(collection, filter));
  }
}
