import { badRequest, GovernorError } from '../errors/index.js';
import type { Doc, EncodedDoc } from './document-store.js';

/** Every store accepts the same documents: JSON objects with a non-empty string id. */
export function checkDoc(doc: unknown): asserts doc is Doc {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw badRequest('id', 'a document must be a JSON object');
  const id = (doc as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') throw badRequest('id', 'a document needs a non-empty string id');
}

export function duplicateId(collection: string, id: string): GovernorError {
  return new GovernorError('conflict', `a document with id '${id}' already exists in ${collection}`, {
    collection,
    id,
  });
}

/** Checks a batch before anything is written; an id repeated inside it is a conflict too. */
export function checkBatch(collection: string, docs: unknown[]): asserts docs is Doc[] {
  for (const doc of docs) checkDoc(doc);
  checkUniqueIds(collection, docs as Doc[]);
}

export function checkUniqueIds(collection: string, docs: Array<{ id: string }>): void {
  const seen = new Set<string>();
  for (const { id } of docs) {
    if (seen.has(id)) throw duplicateId(collection, id);
    seen.add(id);
  }
}

/** Checks and encodes a document for an `Appender`. */
export function encodeDoc(doc: Doc): EncodedDoc {
  checkDoc(doc);
  return { id: doc.id, json: JSON.stringify(doc) };
}
