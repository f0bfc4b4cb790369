// Messages between the backend and the inference host process. Requests carry an id; runs carry
// a runId; tokens stream back as small events.
import type { CompletionResult, ErrorCode, Sampling } from '../api/contract.js';

export interface LoadParams {
  key: string;
  path: string;
  skipChecks: boolean;
  contextSize?: number;
}

export interface CompleteParams {
  runId: string;
  key: string;
  prompt: string;
  sampling: Sampling;
}

export type HostCalls = {
  ping: { params: Record<string, never>; result: { pid: number } };
  loadModel: { params: LoadParams; result: { contextSize: number } };
  unloadModel: { params: { key: string }; result: { unloaded: boolean } };
  complete: { params: CompleteParams; result: CompletionResult };
  cancel: { params: { runId: string }; result: { cancelled: boolean } };
  tokenize: { params: { key: string; text: string }; result: { ids: number[]; pieces: string[] } };
  detokenize: { params: { key: string; ids: number[] }; result: { text: string } };
};
export type HostMethod = keyof HostCalls;

export type MainToHost = { kind: 'call'; id: number; method: HostMethod; params: unknown };

export type HostEvent =
  | { type: 'loadProgress'; key: string; progress: number }
  | { type: 'token'; runId: string; text: string; tokens: number[] };

export type HostToMain =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: { code: ErrorCode; message: string } }
  | { kind: 'event'; event: HostEvent }
  | { kind: 'ready'; pid: number };
