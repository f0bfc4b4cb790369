// What run history stores: one RunRecord per run (a single run, or one run of a comparison or an
// evaluation, tied together by groupId). The app maps its run results onto this.
import { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const RUN_KINDS = ['single', 'comparison', 'evaluation'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_MODES = ['completion', 'chat'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface RunRecord {
  id: string;
  /** milliseconds since the epoch */
  createdAt: number;
  kind: RunKind;
  /** the comparison or evaluation this run belongs to */
  groupId?: string;
  /** which variant of a comparison ('A', 'B', …) or which case of an evaluation */
  variant?: string;
  templateId?: string;
  templateVersion?: number;
  templateHash?: string;
  modelPath: string;
  modelSha256?: string;
  mode: RunMode;
  /** the rendered prompt: text (completion) or the JSON of the chat messages (chat) */
  prompt: string;
  sampling: JsonObject;
  output: string;
  finishReason: string;
  metrics: JsonObject;
  /** everything needed to reproduce the run (versions, seed, backend, …) */
  record: JsonObject;
  /** token probabilities: can be large, stored apart and only read by get(…, { probabilities: true }) */
  probabilities?: Json;
  rating?: number;
  notes?: string;
}

/** A run to add: id and createdAt are made when absent. */
export type NewRun = Omit<RunRecord, 'id' | 'createdAt'> & { id?: string; createdAt?: number };

/** A row of the history list: everything but the full texts and the probabilities. */
export interface RunSummary {
  id: string;
  createdAt: number;
  kind: RunKind;
  groupId?: string;
  variant?: string;
  templateId?: string;
  templateVersion?: number;
  modelPath: string;
  modelSha256?: string;
  mode: RunMode;
  /** the first 200 characters, white space collapsed (chat: the last user message) */
  promptPreview: string;
  outputPreview: string;
  finishReason: string;
  metrics: JsonObject;
  rating?: number;
  hasProbabilities: boolean;
}

export interface RunFilter {
  templateId?: string;
  modelPath?: string;
  modelSha256?: string;
  /** words in the prompt or output (each word matches words starting with it) */
  text?: string;
  kind?: RunKind;
  groupId?: string;
}

export interface RunPage {
  items: RunSummary[];
  /** pass back as `cursor` for the next (older) page; null on the last page */
  nextCursor: string | null;
}

/** What a re-run needs: the same template version, model, prompt and settings. */
export interface RerunRequest {
  templateId?: string;
  templateVersion?: number;
  templateHash?: string;
  modelPath: string;
  modelSha256?: string;
  mode: RunMode;
  prompt: string;
  sampling: JsonObject;
  record: JsonObject;
}

const jsonObject = () => z.record(z.string(), z.json(), { error: 'must be a JSON object' });
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const NewRunSchema = z.strictObject({
  id: z.string().min(1).max(128).optional(),
  createdAt: z.int().min(0).optional(),
  kind: z.enum(RUN_KINDS),
  groupId: z.string().min(1).max(128).optional(),
  variant: z.string().max(200).optional(),
  templateId: z.string().min(1).max(128).optional(),
  templateVersion: z.int().min(1).optional(),
  templateHash: z.string().max(128).optional(),
  modelPath: z.string().min(1).max(4096),
  modelSha256: z.string().max(128).optional(),
  mode: z.enum(RUN_MODES),
  prompt: text(10_000_000),
  sampling: jsonObject(),
  output: text(10_000_000),
  finishReason: z.string().min(1).max(64),
  metrics: jsonObject(),
  record: jsonObject(),
  probabilities: z.json().optional(),
  rating: z.number().finite().optional(),
  notes: text(100_000).optional(),
});
