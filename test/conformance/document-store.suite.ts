import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Doc, type DocumentStore, encodeDoc, type Filter, type Update } from '../../src/store/index.js';
import { uniqueName } from '../harness/services.js';
import { PEOPLE, QUERY_CASES } from './document-store.cases.js';
import {
  arbDocs,
  arbFilter,
  arbSort,
  arbUpdate,
  reference,
  referenceUpdate,
} from './document-store.generators.js';

export interface DocumentStoreSuiteOptions {
  name: string;
  create: () => Promise<DocumentStore>;
  /** A reason to skip (printed); a skip without a reason is a mistake. */
  skip?: string | undefined;
}

const ids = (docs: Doc[]) => docs.map((d) => d.id);

async function expectCode(p: Promise<unknown>, code: string, details?: Record<string, unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code, ...(details ? { details: expect.objectContaining(details) } : {}) });
}

/** The DocumentStore contract: every implementation must agree with MongoDB semantics (mingo). */
export function documentStoreSuite({ name, create, skip }: DocumentStoreSuiteOptions): void {
  if (skip) console.warn(`SKIP document store conformance (${name}): ${skip}`);
  describe.skipIf(Boolean(skip))(`document store conformance: ${name}`, () => {
    let store: DocumentStore;
    const people = uniqueName('people');
    beforeAll(async () => {
      store = await create();
      for (const d of PEOPLE) await store.insert(people, d);
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('documents', () => {
      it('returns an inserted document by id, and undefined for an unknown id', async () => {
        expect(await store.get(people, 'n1')).toEqual(PEOPLE[0]);
        expect(await store.get(people, 'nope')).toBeUndefined();
        expect(await store.get(uniqueName('empty'), 'x')).toBeUndefined();
      });

      it('refuses a duplicate id with a conflict error', async () => {
        await expectCode(store.insert(people, { id: 'n1' }), 'conflict', { id: 'n1' });
      });

      it('inserts a batch in order, across several statements, and an empty batch as nothing', async () => {
        const c = uniqueName('many');
        const docs = Array.from({ length: 450 }, (_, i) => ({ id: `d${String(i).padStart(3, '0')}`, i }));
        expect(await store.insertMany(c, docs)).toEqual(docs);
        expect(await store.find(c, {}, { sort: { i: 1 } })).toEqual(docs);
        expect(await store.insertMany(c, [])).toEqual([]);
        expect(await store.count(c)).toBe(450);
      });

      it('inserts none of a batch when one id exists or repeats, naming it', async () => {
        const c = uniqueName('manyconflict');
        await store.insert(c, { id: 'b' });
        await expectCode(store.insertMany(c, [{ id: 'a' }, { id: 'b' }, { id: 'c' }]), 'conflict', {
          id: 'b',
        });
        await expectCode(store.insertMany(c, [{ id: 'x' }, { id: 'y' }, { id: 'x' }]), 'conflict', {
          id: 'x',
        });
        await expectCode(store.insertMany(c, [{ id: 'z' }, { id: '' }]), 'bad_request', { field: 'id' });
        expect(ids(await store.find(c))).toEqual(['b']);
      });

      it('appends batches through an appender, all of a batch or none', async () => {
        const c = uniqueName('log');
        const appender = store.appender(c);
        const append = (...docs: Doc[]) => appender.append(docs.map(encodeDoc));
        await append({ id: 'e1', n: 1 }, { id: 'e2', n: 2 });
        await append();
        await expectCode(append({ id: 'e3' }, { id: 'e1' }), 'conflict', { id: 'e1' });
        await expectCode(append({ id: 'e4' }, { id: 'e4' }), 'conflict', { id: 'e4' });
        expect(() => encodeDoc({ id: '' })).toThrow(/non-empty string id/);
        expect(await store.find(c)).toEqual([
          { id: 'e1', n: 1 },
          { id: 'e2', n: 2 },
        ]);
        await appender.close();
      });

      it('replaces a whole document and reports whether it existed', async () => {
        const c = uniqueName('replace');
        await store.insert(c, { id: 'a', x: 1, y: 2 });
        expect(await store.replace(c, { id: 'a', z: 3 })).toBe(true);
        expect(await store.get(c, 'a')).toEqual({ id: 'a', z: 3 });
        expect(await store.replace(c, { id: 'b' })).toBe(false);
      });

      it('deletes matching documents and counts them', async () => {
        const c = uniqueName('delete');
        for (const d of PEOPLE) await store.insert(c, d);
        expect(await store.delete(c, { 'cluster.id': 'c1' })).toBe(2);
        expect(await store.count(c)).toBe(4);
        expect(await store.count(c, { n: { $gt: 4 } })).toBe(2);
      });
    });

    describe('queries', () => {
      it.each(QUERY_CASES)('%s', async (_what, filter, expected) => {
        expect(ids(await store.find(people, filter))).toEqual(expected);
      });

      it('sorts missing and null first ascending, arrays by their smallest element, numbers before strings', async () => {
        expect(ids(await store.find(people, {}, { sort: { n: 1 } }))).toEqual([
          'n3',
          'n6',
          'n5',
          'n1',
          'n4',
          'n2',
        ]);
      });

      it('sorts descending by the largest array element, missing and null last', async () => {
        expect(ids(await store.find(people, {}, { sort: { n: -1 } }))).toEqual([
          'n2',
          'n4',
          'n5',
          'n1',
          'n3',
          'n6',
        ]);
      });

      it('applies skip and limit after the sort', async () => {
        expect(ids(await store.find(people, {}, { sort: { id: -1 }, skip: 1, limit: 2 }))).toEqual([
          'n5',
          'n4',
        ]);
        expect(
          ids(await store.find(people, { 'cluster.id': 'c1' }, { sort: { name: -1 }, limit: 1 })),
        ).toEqual(['n2']);
        expect(ids(await store.find(people, { id: { $gte: 'n2' } }, { skip: 3 }))).toEqual(['n5', 'n6']);
      });

      it('projects included fields and keeps the id', async () => {
        expect(await store.find(people, { id: 'n1' }, { projection: { name: 1, 'cluster.id': 1 } })).toEqual([
          { id: 'n1', name: 'alpha', cluster: { id: 'c1' } },
        ]);
      });

      it('projects by excluding fields', async () => {
        expect(
          await store.find(
            people,
            { id: 'n1' },
            { projection: { cluster: 0, policies: 0, items: 0, tags: 0 } },
          ),
        ).toEqual([{ id: 'n1', name: 'alpha', n: 5 }]);
      });

      it('rejects an unknown query operator naming it and its path', async () => {
        await expectCode(store.find(people, { 'cluster.reputation': { $foo: 1 } }), 'invalid_query', {
          operator: '$foo',
          path: 'cluster.reputation.$foo',
        });
        await expectCode(store.find(people, { $or: [{ a: 1 }, { b: { $where: 'x' } }] }), 'invalid_query', {
          operator: '$where',
          path: '$or.1.b.$where',
        });
        await expectCode(store.count(people, { $expr: {} }), 'invalid_query', { operator: '$expr' });
      });

      it('rejects a bad sort, limit or mixed projection as invalid_query', async () => {
        await expectCode(store.find(people, {}, { sort: { n: 2 as 1 } }), 'invalid_query');
        await expectCode(store.find(people, {}, { limit: -1 }), 'invalid_query');
        await expectCode(store.find(people, {}, { projection: { a: 1, b: 0 } }), 'invalid_query');
      });
    });

    describe('updates', () => {
      const apply = async (doc: Doc, update: Update) => {
        const c = uniqueName('upd');
        await store.insert(c, doc);
        const out = await store.updateOne(c, { id: doc.id }, update);
        expect(await store.get(c, doc.id)).toEqual(out);
        return out;
      };

      it('$set creates intermediate objects on a dotted path', async () => {
        expect(await apply({ id: 'u' }, { $set: { 'x.y.z': 1, w: 'v' } })).toEqual({
          id: 'u',
          x: { y: { z: 1 } },
          w: 'v',
        });
      });
      it('$unset removes a field', async () => {
        expect(await apply({ id: 'u', a: 1, b: { c: 2, d: 3 } }, { $unset: { a: '', 'b.c': '' } })).toEqual({
          id: 'u',
          b: { d: 3 },
        });
      });
      it('$inc adds, creating a missing field', async () => {
        expect(await apply({ id: 'u', n: 1 }, { $inc: { n: 2, 'm.k': -1 } })).toEqual({
          id: 'u',
          n: 3,
          m: { k: -1 },
        });
      });
      it('$push appends, with $each', async () => {
        expect(await apply({ id: 'u', a: [1] }, { $push: { a: 2, b: { $each: [3, 4] } } })).toEqual({
          id: 'u',
          a: [1, 2],
          b: [3, 4],
        });
      });
      it('$pull removes every equal element, or those matching a condition', async () => {
        expect(
          await apply({ id: 'u', a: [1, 2, 2, 3], b: [1, 5, 9] }, { $pull: { a: 2, b: { $gt: 4 } } }),
        ).toEqual({
          id: 'u',
          a: [1, 3],
          b: [1],
        });
      });
      it('$addToSet adds only missing elements', async () => {
        expect(await apply({ id: 'u', s: ['a'] }, { $addToSet: { s: { $each: ['a', 'b'] } } })).toEqual({
          id: 'u',
          s: ['a', 'b'],
        });
      });
      it('$rename moves a field, creating the target path', async () => {
        expect(await apply({ id: 'u', a: 1 }, { $rename: { a: 'b.c' } })).toEqual({ id: 'u', b: { c: 1 } });
      });

      it('updateMany reports matched and modified counts', async () => {
        const c = uniqueName('many');
        for (const d of PEOPLE) await store.insert(c, d);
        expect(await store.updateMany(c, { 'cluster.id': 'c2' }, { $set: { flag: true } })).toEqual({
          matched: 2,
          modified: 1,
        });
        expect(ids(await store.find(c, { flag: true }))).toEqual(['n3', 'n4']);
      });

      it('returns undefined when updateOne matches nothing', async () => {
        expect(await store.updateOne(people, { id: 'none' }, { $set: { a: 1 } })).toBeUndefined();
      });

      it('rejects unknown update operators, plain fields and changes to the id', async () => {
        await expectCode(store.updateOne(people, { id: 'n1' }, { $bogus: { a: 1 } }), 'invalid_query', {
          operator: '$bogus',
        });
        await expectCode(store.updateOne(people, { id: 'n1' }, { a: 1 }), 'invalid_query');
        await expectCode(store.updateOne(people, { id: 'n1' }, { $set: { id: 'x' } }), 'invalid_query');
        expect(await store.get(people, 'n1')).toEqual(PEOPLE[0]);
      });
    });

    describe('transactions', () => {
      /** A transaction that takes GPU 0 of node-1 if it is free; true when it did. */
      const reserveIn = (s: DocumentStore, c: string, who: string) =>
        s.transaction(async (tx) => {
          const node = await tx.get<Doc & { gpus: Array<{ reservedBy: string | null }> }>(c, 'node-1');
          // Yield so the other transaction gets every chance to read the same state.
          await new Promise((r) => setImmediate(r));
          if (node?.gpus[0]?.reservedBy !== null) return false;
          await tx.updateOne(c, { id: 'node-1' }, { $set: { 'gpus.0.reservedBy': who } });
          return true;
        });

      it('lets exactly one of two concurrent transactions reserve the same GPU', async () => {
        const c = uniqueName('nodes');
        await store.insert(c, { id: 'node-1', gpus: [{ id: 0, reservedBy: null }] });
        const reserve = (who: string) => reserveIn(store, c, who);
        const results = await Promise.all([reserve('a'), reserve('b')]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results[0] ? 'a' : 'b';
        expect((await store.get(c, 'node-1'))?.gpus).toEqual([{ id: 0, reservedBy: winner }]);
      });

      it('lets exactly one of two stores sharing state reserve the same GPU (shared stores only)', async (ctx) => {
        if (!store.capabilities().sharedAcrossProcesses)
          return ctx.skip('this store is not shared across processes');
        const other = await create();
        try {
          const c = uniqueName('shared');
          await store.insert(c, { id: 'node-1', gpus: [{ id: 0, reservedBy: null }] });
          const results = await Promise.all([reserveIn(store, c, 'a'), reserveIn(other, c, 'b')]);
          expect(results.filter(Boolean)).toHaveLength(1);
        } finally {
          await other.close();
        }
      });

      it('rolls back every write of a transaction that throws', async () => {
        const c = uniqueName('rollback');
        await store.insert(c, { id: 'a', v: 1 });
        await expect(
          store.transaction(async (tx) => {
            await tx.updateOne(c, { id: 'a' }, { $set: { v: 2 } });
            await tx.insert(c, { id: 'b' });
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await store.find(c)).toEqual([{ id: 'a', v: 1 }]);
      });
    });

    describe('agrees with the mingo reference on generated cases', () => {
      it('finds the same documents, in the same order, for generated filters and sorts', async () => {
        const c = uniqueName('gen');
        const docs = fc.sample(arbDocs, { numRuns: 1, seed: 42 })[0]!;
        for (const d of docs) await store.insert(c, d);
        await store.ensureIndex(c, 'b.c');
        await fc.assert(
          fc.asyncProperty(arbFilter, arbSort, async (filter: Filter, options) => {
            expect(ids(await store.find(c, filter, options))).toEqual(ids(reference(docs, filter, options)));
          }),
          { numRuns: Number(process.env.GEN_RUNS ?? 300), seed: Number(process.env.GEN_SEED ?? 7) },
        );
      });

      it('applies generated updates exactly as the reference does', async () => {
        await fc.assert(
          fc.asyncProperty(arbDocs, arbFilter, arbUpdate, async (docs, filter, update) => {
            const c = uniqueName('genupd');
            for (const d of docs) await store.insert(c, d);
            const expected = referenceUpdate(docs, filter, update);
            const result = await store.updateMany(c, filter, update).catch((e: { code?: string }) => e);
            if (expected.failed) expect(result).toMatchObject({ code: 'invalid_query' });
            else expect(result).toMatchObject({ matched: expected.matched });
            expect(await store.find(c)).toEqual(expected.docs);
          }),
          { numRuns: Number(process.env.GEN_RUNS ?? 100), seed: Number(process.env.GEN_SEED ?? 11) },
        );
      });
    });
  });
}
