import { notFound } from '../errors/index.js';
import {
  type DocumentStore,
  type Filter,
  type FindOptions,
  type Update,
  validateUpdate,
} from '../store/index.js';
import { type BlockEntry, BlockEntrySchema, type BlockQuery } from './schemas.js';
import { checkShape } from './shape.js';

export const BLOCKS = 'blocks';

/** Paths the seed's queries and the controller filter on; indexed so those queries stay fast. */
const INDEXED_PATHS = ['cluster.id', 'cluster.reputation', 'componentUri'];

type StoredBlock = BlockEntry & { id: string };

/** The cluster's blocks DB (spec §3.4): list, get, Mongo query and Mongo update of block entries. */
export class Blocks {
  constructor(private readonly store: DocumentStore) {}

  async init(): Promise<void> {
    for (const path of INDEXED_PATHS) await this.store.ensureIndex(BLOCKS, path);
  }

  list(): Promise<StoredBlock[]> {
    return this.store.find<StoredBlock>(BLOCKS);
  }

  async get(id: string): Promise<StoredBlock> {
    const block = await this.store.get<StoredBlock>(BLOCKS, id);
    if (!block) throw notFound('block', id);
    return block;
  }

  /** POST /blocks/query: `{query, options}`; unknown operators are `invalid_query` naming them. */
  query(body: BlockQuery): Promise<StoredBlock[]> {
    return this.store.find<StoredBlock>(
      BLOCKS,
      (body.query ?? {}) as Filter,
      (body.options ?? {}) as FindOptions,
    );
  }

  /** Registers a new block entry (used by the block actions); a duplicate id is a conflict. */
  async insert(entry: unknown): Promise<StoredBlock> {
    checkShape(BlockEntrySchema, entry, 'block');
    return this.store.insert(BLOCKS, entry as StoredBlock);
  }

  /**
   * PUT /block/update/:block_id: applies a Mongo update; the result must still be a valid block
   * entry (otherwise 400 naming the field, and nothing is written).
   */
  async update(id: string, update: Update): Promise<StoredBlock> {
    validateUpdate(update);
    return this.store.transaction(async (tx) => {
      const updated = await tx.updateOne<StoredBlock>(BLOCKS, { id }, update);
      if (!updated) throw notFound('block', id);
      checkShape(BlockEntrySchema, updated, 'block');
      return updated;
    });
  }

  async remove(id: string): Promise<void> {
    if ((await this.store.delete(BLOCKS, { id })) === 0) throw notFound('block', id);
  }
}
