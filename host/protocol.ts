// Messages between the backend and the inference host process. Requests carry an id; runs carry
// a runId; tokens stream back as small events.
import type {
  Adapter,
  CompletionResult,
  Constraint,
  ErrorCode,
  LoadOptions,
  ModelInfo,
  PromptInput,
  RenderedPrompt,
  Sampling,
  SystemInfo,
  TokenStep,
} from '../core/api/contract.js';
import type { Placement } from '../node/gguf/inspect.js';

export interface LoadParams {
  key: string;
  path: string;
  skipChecks: boolean;
  options: LoadOptions;
  adapters: Adapter[];
}

export interface CompleteParams {
  runId: string;
  key: string;
  input: PromptInput;
  sampling: Sampling;
  topProbabilities: number;
  constraint?: Constraint;
  templateHash?: string;
  /** the backend hashes model files once and passes the result for the record */
  modelSha256: string;
  modelSizeBytes: number;
  /** tokens forced after the prompt (a fork from a chosen token) */
  prefix?: number[];
  adapters: Array<{ fileName: string; sha256: string; scale: number }>;
}

export interface ScoreParams {
  key: string;
  input: PromptInput;
  prefix: number[];
  candidates: number[];
  temperature: number;
  /** the run's truncation (absent: none), so scores match the distribution it sampled from */
  topK?: number;
  topP?: number;
  minP?: number;
}

export type HostCalls = {
  ping: { params: Record<string, never>; result: { pid: number } };
  systemInfo: { params: Record<string, never>; result: SystemInfo };
  inspect: { params: { path: string; placement: Placement }; result: ModelInfo };
  loadModel: { params: LoadParams; result: { contextSize: number } };
  unloadModel: { params: { key: string }; result: { unloaded: boolean } };
  setAdapters: { params: { key: string; adapters: Adapter[] }; result: { contextSize: number } };
  render: { params: { key: string; input: PromptInput }; result: RenderedPrompt };
  complete: { params: CompleteParams; result: CompletionResult };
  cancel: { params: { runId: string }; result: { cancelled: boolean } };
  score: { params: ScoreParams; result: Array<{ id: number; text: string; p: number }> };
  tokenize: { params: { key: string; text: string }; result: { ids: number[]; pieces: string[] } };
  detokenize: { params: { key: string; ids: number[] }; result: { text: string } };
};
export type HostMethod = keyof HostCalls;

export type MainToHost = { kind: 'call'; id: number; method: HostMethod; params: unknown };

export type HostEvent =
  | { type: 'loadProgress'; key: string; progress: number }
  | { type: 'token'; runId: string; text: string; steps: TokenStep[] }
  | { type: 'runState'; runId: string; state: 'queued' | 'running' };

export type HostToMain =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: { code: ErrorCode; message: string } }
  /** every event emitted within a couple of ms, in order (one message per token per run was a measurable cost with 4 parallel runs) */
  | { kind: 'events'; events: HostEvent[] }
  | { kind: 'ready'; pid: number };
