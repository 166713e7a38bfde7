export { PostgresStore } from './postgres-store.js';
