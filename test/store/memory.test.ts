import { MemoryStore } from '../../src/store/index.js';
import { documentStoreSuite } from '../conformance/document-store.suite.js';

documentStoreSuite({ name: 'memory (mingo reference)', create: async () => new MemoryStore() });
