import type { Doc, Sort } from '../document-store.js';

/**
 * MongoDB sort order for JSON documents. mingo sorts an array field by its smallest element in
 * both directions; MongoDB uses the smallest ascending and the largest descending, so Governor
 * sorts here. Order of types: an empty array, then null and missing, numbers, strings, objects,
 * arrays, booleans (BSON order). Ties keep the input order, which the stores make id order.
 */

const EMPTY_ARRAY = Symbol('empty array');
type Key = unknown;

function rank(v: Key): number {
  if (v === EMPTY_ARRAY) return 0;
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (typeof v === 'object') return 4;
  if (typeof v === 'boolean') return 8;
  return 9;
}

export function compareValues(a: Key, b: Key): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 2 || ra === 3 || ra === 8) return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  if (ra === 4 || ra === 5) {
    // Nested documents and arrays as sort keys are rare; compare their canonical JSON.
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    return sa === sb ? 0 : sa < sb ? -1 : 1;
  }
  return 0;
}

/** Every value a dotted path reaches, descending through arrays of documents as MongoDB does. */
function valuesAt(value: unknown, path: string[]): Key[] {
  if (path.length === 0) {
    if (Array.isArray(value)) return value.length === 0 ? [EMPTY_ARRAY] : value;
    return [value];
  }
  if (Array.isArray(value))
    return value.flatMap((v) => (typeof v === 'object' && v !== null ? valuesAt(v, path) : []));
  if (typeof value !== 'object' || value === null) return [undefined];
  const [head, ...rest] = path;
  return valuesAt((value as Record<string, unknown>)[head!], rest);
}

function sortKey(doc: Doc, path: string[], direction: 1 | -1): Key {
  const values = valuesAt(doc, path);
  if (values.length === 0) return undefined;
  return values.reduce((best, v) => (compareValues(v, best) * direction < 0 ? v : best));
}

/** A stable sort of `docs` by a MongoDB sort specification. */
export function sortDocs<T extends Doc>(docs: T[], sort: Sort): T[] {
  const specs = Object.entries(sort).map(([p, d]) => ({ path: p.split('.'), d }));
  const keyed = docs.map((doc, i) => ({ doc, i, keys: specs.map((s) => sortKey(doc, s.path, s.d)) }));
  keyed.sort((x, y) => {
    for (let k = 0; k < specs.length; k++) {
      const c = compareValues(x.keys[k], y.keys[k]) * specs[k]!.d;
      if (c !== 0) return c;
    }
    return x.i - y.i;
  });
  return keyed.map((k) => k.doc);
}
