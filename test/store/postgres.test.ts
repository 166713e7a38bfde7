import { afterAll } from 'vitest';
import { PostgresStore } from '../../src/store/index.js';
import { documentStoreSuite } from '../conformance/document-store.suite.js';
import { freshPostgresDatabase, skipReason } from '../harness/services.js';

const db = await freshPostgresDatabase();
afterAll(async () => {
  if (db.ok) await db.value.drop();
});

documentStoreSuite({
  name: 'postgres',
  create: async () => new PostgresStore(db.ok ? db.value.url : ''),
  skip: skipReason('PostgreSQL', db),
});
