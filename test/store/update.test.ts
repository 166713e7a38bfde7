import fc from 'fast-check';
import { update as mingoUpdate } from 'mingo';
import { describe, expect, it } from 'vitest';
import { applyUpdate, type Doc, type Update, validateUpdate } from '../../src/store/index.js';

/**
 * The updater against mingo, its reference, on updates the conformance suite's generator does not
 * reach: nested values, array index paths, paths through scalars, overlapping paths, `$each` with
 * `$slice`/`$position`/`$sort`, and `$pull` with conditions.
 */

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('a', '', 1.5),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', '0'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const doc = fc
  .dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3 })
  .map((d) => ({ id: 'x', ...d }));
const path = fc
  .array(fc.constantFrom('a', 'b', '0', '2'), { minLength: 1, maxLength: 3 })
  .map((s) => s.join('.'));
const fields = (v: fc.Arbitrary<unknown>) => fc.dictionary(path, v, { minKeys: 1, maxKeys: 2 });
const each = fc.record(
  {
    $each: fc.array(value, { maxLength: 3 }),
    $slice: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(1.5)),
    $position: fc.integer({ min: -3, max: 3 }),
    $sort: fc.constantFrom(1, -1, { a: 1 }, { a: -1 }),
  },
  { requiredKeys: ['$each'] },
);
const ARGS: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  $set: fields(value),
  $unset: fields(fc.constant('')),
  $inc: fields(fc.integer({ min: -2, max: 2 })),
  $push: fields(fc.oneof(value, each)),
  $addToSet: fields(fc.oneof(value, fc.record({ $each: fc.array(value, { maxLength: 3 }) }))),
  $pull: fields(fc.oneof(value, fc.constantFrom({ $gt: 0 }, { $in: ['a', 1] }, { a: { $exists: true } }))),
  $rename: fields(path),
};
const update = fc
  .subarray(Object.keys(ARGS), { minLength: 1, maxLength: 2 })
  .chain((ops) => fc.record(Object.fromEntries(ops.map((op) => [op, ARGS[op] as fc.Arbitrary<unknown>]))));

function reference(doc: Doc, u: Update): { doc: Doc; changed: boolean } | 'failed' {
  const copy = structuredClone(doc);
  try {
    return {
      changed: mingoUpdate(copy, u, undefined, undefined, { cloneMode: 'deep' }).length > 0,
      doc: copy,
    };
  } catch {
    return 'failed';
  }
}

describe('applyUpdate', () => {
  it('changes, leaves alone or refuses exactly as mingo does', () => {
    fc.assert(
      fc.property(doc, update, (d: Doc, u: Update) => {
        try {
          validateUpdate(u);
        } catch {
          return;
        }
        const expected = reference(d, u);
        if (expected === 'failed') {
          expect(() => applyUpdate(d, u)).toThrow(expect.objectContaining({ code: 'invalid_query' }));
          return;
        }
        const actual = applyUpdate(d, u);
        // JSON round trip: array holes a write leaves behind are stored as null.
        expect(JSON.parse(JSON.stringify(actual.doc))).toEqual(JSON.parse(JSON.stringify(expected.doc)));
        expect(actual.changed).toBe(expected.changed);
      }),
      { numRuns: Number(process.env.GEN_RUNS ?? 2000), seed: Number(process.env.GEN_SEED ?? 5) },
    );
  });
});
