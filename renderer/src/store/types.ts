// The shape of the renderer's state. One slice per concern; actions live apart from data so they
// are a stable reference components can grab once.
import type {
  ApiOutput,
  ServiceEvent,
  Accelerator,
  FinishReason,
  LoadOptions,
  ModelSummary,
  PromptInput,
  RenderedPrompt,
  RunMetrics,
  RunSummary,
  Sampling,
  StoredRun,
  SystemInfo,
  TemplateEntry,
} from '../../../core/api/contract';
import type { AssembledPrompt, Diagnostic, Example, ExtractionRule, Mode, SamplingPreset, Technique, Template, TemplateField, Variable } from '../../../core/prompt/index';
import type { CompareActions, CompareSlice } from './compare-slice';
import type { LoadOptionsInput } from './load-options';
import type { StepChunks } from './token-steps';

export type AppInfo = ApiOutput<'getAppInfo'>;
export type HostStatus = Extract<ServiceEvent, { type: 'host' }>['status'];
export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';
export type TemplateVersionInfo = ApiOutput<'listTemplateVersions'>[number];
export type TemplateDiff = ApiOutput<'diffTemplateVersions'>;

export interface AppSlice {
  info: AppInfo | null;
  /** Whether the first getAppInfo/listModels round trip worked. */
  connection: 'connecting' | 'ready' | 'error';
  connectionError: string | null;
  host: {
    status: HostStatus | null;
    /** The last thing the backend said about the host; outlives the status it came with, so a
     * "restarted after a crash" stays readable after the following "ready". */
    message: string | null;
  };
  /** The inference process's backend, cores, memory and addon; null until known (or if it cannot be asked). */
  system: SystemInfo | null;
}

/** How a load went: refused before asking (field names the bad setting), failed, or done. */
export type LoadOutcome = { ok: true } | { ok: false; message: string; field?: keyof LoadOptions | null };

export interface ModelsSlice {
  byId: Record<string, ModelSummary>;
  /** Registration order, for the picker. */
  order: string[];
  selectedId: string | null;
  /** Why the last "open by path" failed (no model exists for it, so it lives here). */
  openError: string | null;
  opening: boolean;
  /** Learned from pickModelFile: browser mode has no native dialog. */
  fileDialog: 'unknown' | 'supported' | 'unsupported';
}

/** What the centre column edits: a template, or one raw completion text. */
export type WorkspaceTab = 'template' | 'raw';

export interface EditorSlice {
  tab: WorkspaceTab;
  /** The raw prompt (the Raw tab). */
  prompt: string;
  /** The run's settings (both tabs); folded into the template when it is saved. */
  sampling: Sampling;
  /** The preset the settings started from (chosen, or named by the template); null = none. */
  preset: string | null;
  /** Alternatives recorded per generated token (shown when hovering the output). */
  topProbabilities: number;
}

/** Where the draft lives in the library; null while it was never saved. */
export interface SavedRef {
  id: string;
  version: number;
  savedAt: string;
  file: string;
}

export interface TemplateSlice {
  draft: Template;
  saved: SavedRef | null;
  /** Values typed in the variables panel (a variable without one takes its default). */
  values: Record<string, string>;
  dirty: boolean;
  /** Bumped by every edit (a save that raced an edit leaves the draft dirty). */
  revision: number;
  /** Bumped when another template is loaded: editors start a fresh undo history. */
  loadCount: number;
  saving: boolean;
  saveError: string | null;
  /** The library refused a save because the file moved on: in words, until reloaded or saved as a copy. */
  conflict: string | null;
  /** The last deleted example, for Undo. */
  deletedExample: { example: Example; index: number } | null;
  /** Unsaved work replaced by loading another template, for Restore. */
  setAside: SetAsideDraft | null;
}

export interface SetAsideDraft {
  draft: Template;
  saved: SavedRef | null;
  values: Record<string, string>;
  sampling: Sampling;
  preset: string | null;
}

export interface PreviewSlice {
  /** idle: nothing computed yet; pending: an edit is waiting for the debounce. */
  status: 'idle' | 'pending' | 'ready';
  /** The prompt as assembled here (structure and spans); null when it cannot be assembled. */
  assembled: AssembledPrompt | null;
  /** What a run would send; null when the prompt cannot be built (error says why). */
  input: PromptInput | null;
  /** Why there is no prompt, in words (missing variables, an unusable format). */
  error: string | null;
  missing: string[];
  warnings: string[];
  diagnostics: Diagnostic[];
  /** User variables the prompt uses, in order of first use. */
  usedVariables: string[];
  /** The exact text and tokens from the model (its chat template and tokenizer). */
  rendered: RenderedPrompt | null;
  rendering: boolean;
  renderError: string | null;
  /** The selected model is not loaded, so there are no exact tokens yet. */
  needsModel: boolean;
}

export interface RunSlice {
  /** null while startCompletion is in flight (status is already 'running'). */
  runId: string | null;
  status: RunStatus;
  modelId: string | null;
  /** The prompt as sent, for showing it dimmed before the output. */
  prompt: string;
  /** Generated text only. */
  text: string;
  /** Every generated token with its probability, in chunks (finished chunks never change). */
  steps: StepChunks;
  tokenCount: number;
  /** Generated tokens/s after the first token, while streaming. */
  liveTokensPerSecond: number | null;
  metrics: RunMetrics | null;
  finishReason: FinishReason | null;
  error: string | null;
  stopRequested: boolean;
  /** How the template reads its answer from the output (null: not a template run). */
  extraction: ExtractionRule | null;
  /** Where the run is kept in the history, once stored. */
  historyId: string | null;
  historyError: string | null;
}

export interface PresetsSlice {
  builtIn: SamplingPreset[];
  user: SamplingPreset[];
  error: string | null;
}

export interface LibrarySlice {
  loaded: boolean;
  loading: boolean;
  entries: TemplateEntry[];
  /** What the list is filtered by (name, tags and text). */
  query: string;
  tags: string[];
  error: string | null;
  /** The library folder is missing or unreadable. */
  problem: string | null;
  starters: Template[];
  /** The last deleted template, for Undo. */
  deleted: { trashId: string; id: string; name: string; wasOpen: boolean } | null;
  versions: VersionsView | null;
}

export interface VersionsView {
  id: string;
  name: string;
  items: TemplateVersionInfo[];
  loading: boolean;
  error: string | null;
  /** The two versions compared (older first). */
  from: number | null;
  to: number | null;
  diff: TemplateDiff | null;
}

export interface HistoryFilter {
  templateId: string | null;
  modelPath: string | null;
  text: string;
}

export interface HistorySlice {
  loaded: boolean;
  loading: boolean;
  filter: HistoryFilter;
  items: RunSummary[];
  nextCursor: string | null;
  error: string | null;
  /** The run opened in the detail view. */
  open: { id: string; run: StoredRun | null; loading: boolean; error: string | null } | null;
}

export type SidebarTab = 'library' | 'history' | 'sampling';
export type Dialog = 'starters' | 'versions' | 'run' | 'load-settings' | null;

export type NoticeAction = 'undo-example' | 'undo-delete-template' | 'restore-draft' | 'reload-template';

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
  action?: { label: string; kind: NoticeAction };
}

export interface UiSlice {
  sidebar: SidebarTab;
  sidebarOpen: boolean;
  dialog: Dialog;
  notices: Notice[];
}

export interface Actions extends CompareActions {
  /** Fetch app info and the model list; selects the demo model. */
  init(): Promise<void>;
  /** Ask the inference process what it runs on; a failure keeps what was known. */
  refreshSystemInfo(): Promise<void>;
  /** Switch the compute backend (restarts the inference process); the error in words, or null. */
  setAccelerator(backend: Accelerator): Promise<string | null>;
  selectModel(id: string): void;
  /** Without options, loads with the settings the model was last loaded with (the backend's defaults for a new one). */
  loadModel(id?: string, request?: { skipChecks?: boolean; options?: LoadOptionsInput }): Promise<LoadOutcome>;
  unloadModel(id?: string): Promise<void>;
  /** Register a .gguf by path, select it and load it. */
  openModelPath(path: string): Promise<void>;
  /** Native dialog; marks the dialog unsupported in browser mode so the UI offers the path field. */
  pickModelFile(): Promise<void>;
  clearOpenError(): void;

  // editor
  setTab(tab: WorkspaceTab): void;
  setPrompt(prompt: string): void;
  updateSampling(patch: Partial<Sampling>): void;
  resetSampling(keys?: (keyof Sampling)[]): void;
  setTopProbabilities(n: number): void;

  // presets
  loadPresets(): Promise<void>;
  applyPreset(name: string): void;
  saveUserPreset(name: string, description?: string): Promise<boolean>;
  deleteUserPreset(name: string): Promise<void>;

  // the template being edited
  setTemplateField(field: TemplateField, value: string): void;
  updateTemplate(changes: Partial<Omit<Template, 'examples' | 'variables' | 'technique' | 'mode'>>): void;
  setMode(mode: Mode): void;
  setTechnique(technique: Technique): void;
  addExample(): void;
  updateExample(index: number, changes: Partial<Example>): void;
  duplicateExample(index: number): void;
  deleteExample(index: number): void;
  undoDeleteExample(): void;
  moveExample(from: number, to: number): void;
  setVariableValue(name: string, value: string | undefined): void;
  declareVariable(name: string): void;
  updateVariable(name: string, changes: Partial<Variable>): void;
  removeVariable(name: string): void;
  newTemplate(): void;
  newFromStarter(template: Template): void;
  openTemplate(id: string): Promise<void>;
  saveTemplate(): Promise<void>;
  saveTemplateAsCopy(): Promise<void>;
  reloadTemplate(): Promise<void>;
  restoreSetAside(): void;

  // preview
  refreshPreview(): void;

  // library
  refreshLibrary(): Promise<void>;
  setLibraryFilter(filter: { query?: string; tags?: string[] }): void;
  loadStarters(): Promise<void>;
  renameTemplate(id: string, name: string): Promise<void>;
  duplicateTemplate(id: string): Promise<void>;
  deleteTemplate(id: string): Promise<void>;
  undoDeleteTemplate(): Promise<void>;
  importTemplateText(text: string): Promise<void>;
  exportTemplate(id: string): Promise<{ text: string; fileName: string } | null>;
  openVersions(id: string): Promise<void>;
  compareVersions(from: number, to: number): Promise<void>;
  restoreVersion(version: number): Promise<void>;

  // history
  loadHistory(): Promise<void>;
  loadMoreHistory(): Promise<void>;
  setHistoryFilter(filter: Partial<HistoryFilter>): void;
  openRun(id: string): Promise<void>;
  closeRun(): void;
  rerun(id: string): Promise<void>;
  openRunInEditor(id: string): void;
  deleteRun(id: string): Promise<void>;

  // runs
  run(): Promise<void>;
  stop(): void;

  // ui
  setSidebar(tab: SidebarTab): void;
  toggleSidebar(): void;
  openDialog(dialog: Dialog): void;
  notify(text: string, options?: { tone?: Notice['tone']; action?: Notice['action'] }): number;
  dismissNotice(id: number): void;
  runNoticeAction(id: number): void;

  /** Stop listening to backend events. */
  dispose(): void;
}

export interface AppState {
  app: AppSlice;
  models: ModelsSlice;
  editor: EditorSlice;
  template: TemplateSlice;
  preview: PreviewSlice;
  run: RunSlice;
  presets: PresetsSlice;
  library: LibrarySlice;
  history: HistorySlice;
  ui: UiSlice;
  compare: CompareSlice;
  actions: Actions;
}

export type ModelEvent = Extract<ServiceEvent, { type: 'model' }>;
export type RunEvent = Extract<ServiceEvent, { type: 'run.delta' | 'run.end' | 'run.error' }>;
export type { CompareRunView, CompareSlice, CurrentComparison, ExportFormat } from './compare-slice';
export type HostEvent = Extract<ServiceEvent, { type: 'host' }>;
export type HistoryEvent = Extract<ServiceEvent, { type: 'history' }>;
export type { ModelSummary, Sampling, SystemInfo, Template };
