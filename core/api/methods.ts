// The names of every API action, by domain, shared by the preload (which must not bundle zod) and
// the contract (core/api/<domain>.ts gives each its schemas). One entry = one preload function =
// one IPC channel = one HTTP route.

/** Models, the machine and tokens (core/api/models.ts). */
export const MODEL_METHODS = [
  'getAppInfo',
  'listModels',
  'openModel',
  'pickModelFile',
  'loadModel',
  'inspectModel',
  'renderPrompt',
  'getSystemInfo',
  'setAccelerator',
  'unloadModel',
  'setAdapters',
  'tokenize',
  'detokenize',
] as const;
export type ModelMethod = (typeof MODEL_METHODS)[number];

/** Runs (core/api/runs.ts). */
export const RUN_METHODS = [
  'startCompletion',
  'cancelRun',
  'scoreTokens',
] as const;
export type RunMethod = (typeof RUN_METHODS)[number];

/** A/B comparisons (core/api/compare.ts). */
export const COMPARE_METHODS = [
  'startComparison',
  'addComparisonVariants',
  'cancelComparison',
  'saveComparison',
  'getComparison',
  'listComparisons',
] as const;
export type CompareMethod = (typeof COMPARE_METHODS)[number];

/** The template library and presets (core/api/library.ts). */
export const LIBRARY_METHODS = [
  'getLibrary',
  'setLibraryDir',
  'listTemplates',
  'listStarters',
  'getTemplate',
  'createTemplate',
  'saveTemplate',
  'renameTemplate',
  'duplicateTemplate',
  'deleteTemplate',
  'undoDeleteTemplate',
  'listTemplateVersions',
  'getTemplateVersion',
  'diffTemplateVersions',
  'restoreTemplateVersion',
  'importTemplate',
  'exportTemplate',
  'listPresets',
  'savePreset',
  'deletePreset',
] as const;
export type LibraryMethod = (typeof LIBRARY_METHODS)[number];

/** Drafts (core/api/drafts.ts). */
export const DRAFT_METHODS = [
  'saveDraft',
  'getDraft',
  'listDrafts',
  'discardDraft',
] as const;
export type DraftMethod = (typeof DRAFT_METHODS)[number];

/** The run history (core/api/history.ts). */
export const HISTORY_METHODS = [
  'listRuns',
  'getRun',
  'rateRun',
  'deleteRun',
  'moveHistoryAside',
] as const;
export type HistoryMethod = (typeof HISTORY_METHODS)[number];

/** Evaluations over datasets (core/api/eval.ts). */
export const EVAL_METHODS = [] as const;
export type EvalMethod = (typeof EVAL_METHODS)[number];

/** Remote OpenAI-compatible endpoints (core/api/endpoints.ts). */
export const ENDPOINT_METHODS = [] as const;
export type EndpointMethod = (typeof ENDPOINT_METHODS)[number];

/** Shotglass's own OpenAI-compatible server (core/api/server.ts). */
export const SERVER_METHODS = [] as const;
export type ServerMethod = (typeof SERVER_METHODS)[number];

/** The model library: search, downloads, folders (core/api/downloads.ts). */
export const DOWNLOAD_METHODS = [] as const;
export type DownloadMethod = (typeof DOWNLOAD_METHODS)[number];

export const API_METHODS = [
  ...MODEL_METHODS,
  ...RUN_METHODS,
  ...COMPARE_METHODS,
  ...LIBRARY_METHODS,
  ...DRAFT_METHODS,
  ...HISTORY_METHODS,
  ...EVAL_METHODS,
  ...ENDPOINT_METHODS,
  ...SERVER_METHODS,
  ...DOWNLOAD_METHODS,
] as const;

export type ApiMethod = (typeof API_METHODS)[number];

/** IPC channel of a method; browser mode serves the same method at POST /api/<method>. */
export const ipcChannel = (method: ApiMethod): string => `shotglass:${method}`;
export const EVENT_CHANNEL = 'shotglass:event';
