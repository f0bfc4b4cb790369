// Run history in SQLite: see README.md in this folder.
export { openHistory, moveAsideDatabase, defaultHistoryPath, HistoryStore, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './store.js';
export type { HistoryOptions, StoredComparison } from './store.js';
export { HistoryError, type HistoryProblem } from './errors.js';
export { LATEST_VERSION as HISTORY_SCHEMA_VERSION } from './schema.js';
export {
  NewRunSchema,
  RUN_KINDS,
  RUN_MODES,
  type Json,
  type JsonObject,
  type NewRun,
  type RerunRequest,
  type RunFilter,
  type RunKind,
  type RunMode,
  type RunPage,
  type RunRecord,
  type RunSummary,
} from './types.js';
