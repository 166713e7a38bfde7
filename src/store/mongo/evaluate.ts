import { find, Query } from 'mingo';
import type { Doc, Filter, FindOptions } from '../document-store.js';
import { sortDocs } from './sort.js';

/**
 * The exact MongoDB semantics, evaluated in process with mingo. Every store answers a query by
 * running its candidates through here, so SQL only ever narrows the candidate set. Callers have
 * already validated the filter (validate.ts), so mingo only sees operators we support. Updates are
 * applied by update.ts.
 */

/** `id` is our primary key: inclusion projections keep it, as MongoDB keeps `_id`. */
const OPTIONS = { idKey: 'id' } as const;

export type Matcher = (doc: Doc) => boolean;

export function compileFilter(filter: Filter): Matcher {
  if (Object.keys(filter).length === 0) return () => true;
  const q = new Query(filter, OPTIONS);
  return (doc) => q.test(doc);
}

/** Filters, sorts (sort.ts), skips, limits and projects, in MongoDB's order of operations. */
export function runQuery<T extends Doc>(docs: Iterable<Doc>, filter: Filter, options: FindOptions = {}): T[] {
  let out =
    Object.keys(filter).length === 0 ? [...docs] : (find([...docs], filter, {}, OPTIONS).all() as Doc[]);
  if (options.sort && Object.keys(options.sort).length > 0) out = sortDocs(out, options.sort);
  const start = options.skip ?? 0;
  out = out.slice(start, options.limit ? start + options.limit : undefined);
  if (options.projection && Object.keys(options.projection).length > 0) {
    out = find(out, {}, options.projection, OPTIONS).all() as Doc[];
  }
  return out as T[];
}
