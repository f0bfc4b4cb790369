// The one contract between renderer and backend: every request, response and event, as zod
// schemas (validated at runtime on the backend side of IPC and HTTP) and the types inferred from
// them (used by the renderer, preload, Electron main, browser-mode server and CLI alike).
import { z } from 'zod';
import type { ApiMethod } from './methods.js';

// ---------------------------------------------------------------- sampling
export const SAMPLING_LIMITS = {
  temperature: { min: 0, max: 2 },
  topK: { min: 0, max: 1000 },
  topP: { min: 0, max: 1 },
  minP: { min: 0, max: 1 },
  maxTokens: { min: 1, max: 32768 },
} as const;

// Messages name the rule in plain words; parseInput prefixes the field.
const number = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const whole = (min: number, max: number) =>
  z
    .int({ error: 'must be a whole number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const L = SAMPLING_LIMITS;

export const SamplingSchema = z.strictObject({
  /** 0 = greedy */
  temperature: number(L.temperature.min, L.temperature.max).default(0.8),
  /** 0 = off */
  topK: whole(L.topK.min, L.topK.max).default(40),
  topP: number(L.topP.min, L.topP.max).default(0.95),
  minP: number(L.minP.min, L.minP.max).default(0.05),
  seed: whole(0, 0xffffffff).optional(),
  maxTokens: whole(L.maxTokens.min, L.maxTokens.max).default(256),
  stop: z.array(z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).max(16, 'at most 16 stop strings').default([]),
});
export type Sampling = z.output<typeof SamplingSchema>;
export type SamplingInput = z.input<typeof SamplingSchema>;
export const DEFAULT_SAMPLING: Sampling = SamplingSchema.parse({});

// ---------------------------------------------------------------- models
const Id = z.string().min(1).max(128);

export const ModelStateSchema = z.enum(['unloaded', 'loading', 'loaded', 'error']);
export type ModelState = z.infer<typeof ModelStateSchema>;

export const ModelSummarySchema = z.object({
  id: Id,
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number(),
  state: ModelStateSchema,
  /** 0..1 while loading */
  loadProgress: z.number().optional(),
  /** why the last load failed, in words for the user */
  error: z.string().optional(),
  contextSize: z.number().optional(),
  isDemo: z.boolean(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

// ---------------------------------------------------------------- runs
export const FinishReasonSchema = z.enum(['eos', 'stop', 'maxTokens', 'cancelled']);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

export const RunMetricsSchema = z.object({
  /** start of the request to the first generated token */
  ttftMs: z.number(),
  totalMs: z.number(),
  promptTokens: z.number(),
  generatedTokens: z.number(),
  /** generated tokens per second after the first token */
  tokensPerSecond: z.number(),
});
export type RunMetrics = z.infer<typeof RunMetricsSchema>;

export const CompletionResultSchema = z.object({
  text: z.string(),
  tokens: z.array(z.number()),
  finishReason: FinishReasonSchema,
  metrics: RunMetricsSchema,
});
export type CompletionResult = z.infer<typeof CompletionResultSchema>;

// ---------------------------------------------------------------- errors
export const ErrorCodeSchema = z.enum([
  'invalid-argument',
  'not-found',
  'model-error',
  'host-crashed',
  'cancelled',
  'forbidden',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
export const ApiErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });
export type ApiErrorData = z.infer<typeof ApiErrorSchema>;

/** What crosses IPC and HTTP: a value or an error that keeps its code. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toJSON(): ApiErrorData {
    return { code: this.code, message: this.message };
  }
}

// ---------------------------------------------------------------- methods
const Empty = z.strictObject({});

export const contract = {
  getAppInfo: {
    input: Empty,
    output: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      platform: z.string(),
      demoModelId: z.string().nullable(),
    }),
  },
  listModels: { input: Empty, output: z.array(ModelSummarySchema) },
  /** Register a GGUF file by path (checked to exist; not loaded yet). */
  openModel: { input: z.strictObject({ path: z.string().min(1).max(4096) }), output: ModelSummarySchema },
  /** A native file dialog (Electron); browser mode answers supported: false. */
  pickModelFile: {
    input: Empty,
    output: z.object({ supported: z.boolean(), path: z.string().nullable() }),
  },
  loadModel: {
    input: z.strictObject({
      modelId: Id,
      /** Skip Shotglass's own GGUF checks and let llama.cpp try (it may crash the inference process). */
      skipChecks: z.boolean().default(false),
    }),
    output: ModelSummarySchema,
  },
  unloadModel: { input: z.strictObject({ modelId: Id }), output: ModelSummarySchema },
  /** Starts a raw-text completion; its tokens arrive as run events. */
  startCompletion: {
    input: z.strictObject({
      modelId: Id,
      prompt: z.string().max(1_000_000),
      sampling: SamplingSchema.default(DEFAULT_SAMPLING),
    }),
    output: z.object({ runId: Id }),
  },
  cancelRun: { input: z.strictObject({ runId: Id }), output: z.object({ cancelled: z.boolean() }) },
  tokenize: {
    input: z.strictObject({ modelId: Id, text: z.string().max(1_000_000) }),
    output: z.object({ ids: z.array(z.number()), pieces: z.array(z.string()) }),
  },
  detokenize: {
    input: z.strictObject({
      modelId: Id,
      ids: z.array(z.int().min(0, 'must be token ids (whole numbers from 0)')).max(1_000_000),
    }),
    output: z.object({ text: z.string() }),
  },
} satisfies Record<ApiMethod, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type ApiInput<M extends ApiMethod> = z.input<Contract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<Contract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<Contract[M]['output']>;

/** The API as the renderer sees it, whatever carries it. */
export type ShotglassApi = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> } & {
  /** Subscribe to backend events; returns an unsubscribe function. */
  onEvent(listener: (event: BackendEvent) => void): () => void;
};

/** What a backend implements: inputs arrive already validated. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

// ---------------------------------------------------------------- events
export const BackendEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('model'), model: ModelSummarySchema }),
  /** New text of a run since the last delta (deltas may carry several tokens). */
  z.object({ type: z.literal('run.delta'), runId: Id, text: z.string(), tokens: z.number() }),
  z.object({ type: z.literal('run.end'), runId: Id, result: CompletionResultSchema }),
  z.object({ type: z.literal('run.error'), runId: Id, error: ApiErrorSchema }),
  z.object({
    type: z.literal('host'),
    status: z.enum(['starting', 'ready', 'crashed', 'stopped']),
    message: z.string().optional(),
  }),
]);
export type BackendEvent = z.infer<typeof BackendEventSchema>;

/** Validate a method's input; throws ApiError('invalid-argument') naming the field. */
export function parseInput<M extends ApiMethod>(method: M, raw: unknown): ApiParsedInput<M> {
  const result = contract[method].input.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length ? issue.path.join('.') : 'input';
    throw new ApiError('invalid-argument', `${field} ${issue?.message ?? 'is malformed'}`);
  }
  return result.data as ApiParsedInput<M>;
}

/** Turn anything thrown into the error shape that crosses the wire. */
export function toApiError(error: unknown): ApiErrorData {
  if (error instanceof ApiError) return error.toJSON();
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/**
 * What the Electron preload exposes as `window.shotglass`: one function per method, returning the
 * envelope as it crossed IPC (errors keep their code; contextBridge would strip it from an Error).
 */
export type ShotglassBridge = {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<Envelope<ApiOutput<M>>>;
} & {
  onEvent(listener: (event: BackendEvent) => void): () => void;
};
