export { type IndexTarget, indexTarget } from './index-target.js';
export { Mutex } from './mutex.js';
export { renderWhere, type SqlDialect, type SqlWhere } from './render.js';
export { type SqlConnection, SqlDocuments, type SqlEngine, tableName } from './sql-documents.js';
