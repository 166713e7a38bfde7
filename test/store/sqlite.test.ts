import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/index.js';
import { documentStoreSuite } from '../conformance/document-store.suite.js';

documentStoreSuite({
  name: 'sqlite',
  create: async () =>
    new SqliteStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gov-store-')), 'governor.db')),
});
