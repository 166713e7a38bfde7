import { checkBatch, checkDoc, duplicateId } from '../doc-checks.js';
import type {
  Doc,
  DocumentReader,
  DocumentWriter,
  Filter,
  FindOptions,
  StoreCapabilities,
  Update,
  UpdateResult,
} from '../document-store.js';
import {
  applyUpdate,
  compileFilter,
  runQuery,
  validateFilter,
  validateOptions,
  validateUpdate,
} from '../mongo/index.js';
import { Mutex } from '../sql/index.js';
import { TransactionalStore } from '../transactional-store.js';

/**
 * The reference store: every document evaluated by mingo, nothing pushed anywhere. The conformance
 * suite compares the SQL stores with it; it is also a fast store for tests that need no file.
 * A transaction works on a copy and swaps it in on success, so a failure leaves nothing behind.
 */
export class MemoryStore extends TransactionalStore {
  readonly kind = 'memory';
  private readonly data = new Map<string, Map<string, Doc>>();
  private readonly mutex = new Mutex();

  capabilities(): StoreCapabilities {
    return { sharedAcrossProcesses: false };
  }

  private view(data: Map<string, Map<string, Doc>>): DocumentReader & DocumentWriter {
    const coll = (name: string) => {
      let c = data.get(name);
      if (!c) {
        c = new Map();
        data.set(name, c);
      }
      return c;
    };
    // Id order, like the SQL stores, so ties in a sort break the same way everywhere.
    const all = (name: string) =>
      [...coll(name).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const matching = (name: string, filter: Filter) => {
      validateFilter(filter);
      return all(name).filter(compileFilter(filter));
    };
    return {
      get: async <T extends Doc = Doc>(name: string, id: string) =>
        structuredClone(coll(name).get(id)) as T | undefined,
      find: async <T extends Doc = Doc>(name: string, filter: Filter = {}, options: FindOptions = {}) => {
        validateFilter(filter);
        validateOptions(options);
        return structuredClone(runQuery<T>(all(name), filter, options));
      },
      count: async (name: string, filter: Filter = {}) => matching(name, filter).length,
      insert: async <T extends Doc>(name: string, doc: T) => {
        checkDoc(doc);
        if (coll(name).has(doc.id)) throw duplicateId(name, doc.id);
        coll(name).set(doc.id, structuredClone(doc));
        return doc;
      },
      insertMany: async <T extends Doc>(name: string, docs: T[]) => {
        checkBatch(name, docs);
        const existing = docs.find((d) => coll(name).has(d.id));
        if (existing) throw duplicateId(name, existing.id);
        for (const doc of docs) coll(name).set(doc.id, structuredClone(doc));
        return docs;
      },
      updateOne: async <T extends Doc = Doc>(name: string, filter: Filter, update: Update) => {
        validateUpdate(update);
        const [first] = matching(name, filter);
        if (!first) return undefined;
        const { doc } = applyUpdate(first, update);
        coll(name).set(doc.id, doc);
        return structuredClone(doc) as T;
      },
      updateMany: async (name: string, filter: Filter, update: Update): Promise<UpdateResult> => {
        validateUpdate(update);
        const matches = matching(name, filter);
        let modified = 0;
        for (const m of matches) {
          const { doc, changed } = applyUpdate(m, update);
          coll(name).set(doc.id, doc);
          if (changed) modified++;
        }
        return { matched: matches.length, modified };
      },
      replace: async <T extends Doc>(name: string, doc: T) => {
        if (!coll(name).has(doc.id)) return false;
        coll(name).set(doc.id, structuredClone(doc));
        return true;
      },
      delete: async (name: string, filter: Filter) => {
        const ids = matching(name, filter).map((d) => d.id);
        for (const id of ids) coll(name).delete(id);
        return ids.length;
      },
    };
  }

  protected readonly reads = this.view(this.data);

  transaction<R>(fn: (tx: DocumentReader & DocumentWriter) => Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      const copy = structuredClone(this.data);
      const result = await fn(this.view(copy));
      this.data.clear();
      for (const [k, v] of copy) this.data.set(k, v);
      return result;
    });
  }

  async ensureIndex(): Promise<void> {}
  async close(): Promise<void> {}
}
