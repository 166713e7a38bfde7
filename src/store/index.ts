import path from 'node:path';
import type { Config } from '../config.js';
import { GovernorError } from '../errors/index.js';
import type { DocumentStore } from './document-store.js';
import { PostgresStore } from './postgres/index.js';
import { SqliteStore } from './sqlite/index.js';

export { encodeDoc } from './doc-checks.js';
export type {
  Appender,
  Doc,
  DocumentReader,
  DocumentStore,
  DocumentWriter,
  EncodedDoc,
  Filter,
  FindOptions,
  Projection,
  Sort,
  StoreCapabilities,
  Update,
  UpdateResult,
} from './document-store.js';
export { MemoryStore } from './memory/index.js';
export { applyUpdate, validateFilter, validateOptions, validateUpdate } from './mongo/index.js';
export { PostgresStore } from './postgres/index.js';
export { SqliteStore } from './sqlite/index.js';

/** Opens the configured store: SQLite at `<dataDir>/governor.db`, or PostgreSQL at `store.url`. */
export async function openStore(config: Config): Promise<DocumentStore> {
  if (config.store.kind === 'sqlite') return new SqliteStore(path.join(config.dataDir, 'governor.db'));
  if (!config.store.url)
    throw new GovernorError(
      'bad_request',
      'store.kind is postgres but no store.url (GOVERNOR_STORE_URL) is set',
      {
        field: 'store.url',
      },
    );
  return new PostgresStore(config.store.url);
}
