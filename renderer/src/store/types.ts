// The shape of the renderer's state. One slice per concern; actions live apart from data so they
// are a stable reference components can grab once.
import type {
  ApiOutput,
  BackendEvent,
  FinishReason,
  ModelSummary,
  RunMetrics,
  Sampling,
} from '../../../electron/api/contract';

export type AppInfo = ApiOutput<'getAppInfo'>;
export type HostStatus = Extract<BackendEvent, { type: 'host' }>['status'];
export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

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
}

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

export interface EditorSlice {
  prompt: string;
  /** The full contract object, so later controls (top-k, stop strings…) just edit more fields. */
  sampling: Sampling;
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
  tokenCount: number;
  /** Generated tokens/s after the first token, while streaming. */
  liveTokensPerSecond: number | null;
  metrics: RunMetrics | null;
  finishReason: FinishReason | null;
  error: string | null;
  stopRequested: boolean;
}

export interface Actions {
  /** Fetch app info and the model list; selects the demo model. */
  init(): Promise<void>;
  selectModel(id: string): void;
  loadModel(id?: string, options?: { skipChecks?: boolean }): Promise<void>;
  unloadModel(id?: string): Promise<void>;
  /** Register a .gguf by path, select it and load it. */
  openModelPath(path: string): Promise<void>;
  /** Native dialog; marks the dialog unsupported in browser mode so the UI offers the path field. */
  pickModelFile(): Promise<void>;
  clearOpenError(): void;
  setPrompt(prompt: string): void;
  updateSampling(patch: Partial<Sampling>): void;
  run(): Promise<void>;
  stop(): void;
  /** Stop listening to backend events. */
  dispose(): void;
}

export interface AppState {
  app: AppSlice;
  models: ModelsSlice;
  editor: EditorSlice;
  run: RunSlice;
  actions: Actions;
}

export type ModelEvent = Extract<BackendEvent, { type: 'model' }>;
export type RunEvent = Extract<BackendEvent, { type: 'run.delta' | 'run.end' | 'run.error' }>;
export type HostEvent = Extract<BackendEvent, { type: 'host' }>;
export type { ModelSummary, Sampling };
