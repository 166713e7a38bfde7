import fc from 'fast-check';
import { update as mingoUpdate, Query } from 'mingo';
import type { Doc, Filter, FindOptions, Update } from '../../src/store/index.js';
import { runQuery } from '../../src/store/mongo/index.js';

/**
 * Generated documents, filters, sorts and updates over a small vocabulary, so that generated
 * filters often hit: the point is to cover mixed types, arrays, nulls and missing fields.
 * The reference is mingo itself, with no store involved.
 */

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('a', 'b', '10', '', 'd03', 1.5),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);

const body = fc.record(
  {
    a: value,
    b: fc.record({ c: value, d: fc.array(fc.record({ e: scalar }), { maxLength: 3 }) }, { requiredKeys: [] }),
    tags: fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 3 }),
    n: fc.integer({ min: 0, max: 9 }),
  },
  { requiredKeys: [] },
);

export const arbDocs: fc.Arbitrary<Doc[]> = fc
  .array(body, { maxLength: 40 })
  .map((list) => list.map((d, i) => ({ id: `d${String(i).padStart(2, '0')}`, ...d }) as Doc));

const path = fc.constantFrom('a', 'b.c', 'b.d.e', 'b.d', 'tags', 'n', 'missing', 'id');
const at = (p: string, v: unknown): Filter => ({ [p]: v });

const leaf: fc.Arbitrary<Filter> = fc.oneof(
  fc.tuple(path, scalar).map(([p, v]) => at(p, v)),
  fc
    .tuple(path, fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'), scalar)
    .map(([p, op, v]) => at(p, { [op]: v })),
  fc
    .tuple(path, fc.constantFrom('$in', '$nin'), fc.array(scalar, { maxLength: 3 }))
    .map(([p, op, v]) => at(p, { [op]: v })),
  fc.tuple(path, fc.boolean()).map(([p, b]) => at(p, { $exists: b })),
  fc
    .tuple(path, fc.constantFrom('number', 'string', 'bool', 'null', 'array'))
    .map(([p, t]) => at(p, { $type: t })),
  fc.tuple(path, fc.integer({ min: 0, max: 3 })).map(([p, n]) => at(p, { $size: n })),
  fc.tuple(path, fc.constantFrom('^a', '1', '^$', 'D')).map(([p, r]) => at(p, { $regex: r, $options: 'i' })),
  fc
    .tuple(path, fc.constantFrom('$gt', '$lt', '$eq'), scalar)
    .map(([p, op, v]) => at(p, { $not: { [op]: v } })),
  fc
    .tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }))
    .map(([lo, hi]) => at('n', { $gte: lo, $lt: hi })),
  scalar.map((v) => at('b.d', { $elemMatch: { e: v } })),
  fc.array(scalar, { minLength: 1, maxLength: 2 }).map((v) => at('tags', { $all: v })),
);

export const arbFilter: fc.Arbitrary<Filter> = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    leaf,
    fc
      .tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(tie('filter'), { minLength: 1, maxLength: 3 }))
      .map(([op, items]) => ({ [op]: items })),
    fc.tuple(leaf, leaf).map(([x, y]) => ({ ...x, ...y })),
  ),
})).filter;

export const arbSort: fc.Arbitrary<FindOptions> = fc.record(
  {
    sort: fc
      .tuple(
        fc.constantFrom('a', 'b.c', 'tags', 'n', 'id', 'missing'),
        fc.constantFrom(1 as const, -1 as const),
      )
      .map(([p, d]) => ({ [p]: d })),
    limit: fc.integer({ min: 0, max: 5 }),
    skip: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: [] },
);

const upath = fc.constantFrom('a', 'b.c', 'x.y', 'tags', 'n');
export const arbUpdate: fc.Arbitrary<Update> = fc.oneof(
  fc.dictionary(upath, value, { minKeys: 1, maxKeys: 2 }).map((f) => ({ $set: f })),
  upath.map((p) => ({ $unset: { [p]: '' } })),
  fc.tuple(upath, fc.integer({ min: -2, max: 2 })).map(([p, n]) => ({ $inc: { [p]: n } })),
  fc
    .tuple(upath, fc.constantFrom('$push', '$pull', '$addToSet'), scalar)
    .map(([p, op, v]) => ({ [op]: { [p]: v } })),
  fc
    .tuple(upath, upath)
    .filter(([a, b]) => !a.startsWith(b) && !b.startsWith(a))
    .map(([a, b]) => ({ $rename: { [a]: b } })),
);

export function reference(docs: Doc[], filter: Filter, options: FindOptions = {}): Doc[] {
  return runQuery(structuredClone(docs), filter, options);
}

/** What updateMany must leave behind: the updated documents, or the originals when an update fails. */
export function referenceUpdate(
  docs: Doc[],
  filter: Filter,
  update: Update,
): { matched: number; docs: Doc[]; failed: boolean } {
  const copy = structuredClone(docs);
  const q = new Query(filter, { idKey: 'id' });
  const matches = copy.filter((d) => q.test(d));
  try {
    for (const d of matches) mingoUpdate(d, update, undefined, undefined, { cloneMode: 'deep' });
  } catch {
    return { matched: matches.length, docs, failed: true };
  }
  return { matched: matches.length, docs: copy, failed: false };
}
