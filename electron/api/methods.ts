// The names of every API action, shared by the preload (which must not bundle zod) and the
// contract. One entry = one preload function = one IPC channel = one HTTP route.
export const API_METHODS = [
  'getAppInfo',
  'listModels',
  'openModel',
  'pickModelFile',
  'loadModel',
  'inspectModel',
  'renderPrompt',
  'getSystemInfo',
  'setBackend',
  'unloadModel',
  'setAdapters',
  'startCompletion',
  'cancelRun',
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
  'listRuns',
  'getRun',
  'rateRun',
  'deleteRun',
  'tokenize',
  'detokenize',
] as const;

export type ApiMethod = (typeof API_METHODS)[number];

/** IPC channel of a method; browser mode serves the same method at POST /api/<method>. */
export const ipcChannel = (method: ApiMethod): string => `shotglass:${method}`;
export const EVENT_CHANNEL = 'shotglass:event';
