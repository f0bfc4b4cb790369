// Runs: one generation with its tokens, probabilities, metrics and reproducibility record.
import { z } from 'zod';
import { boundedNumber as number, wholeNumber as whole } from '../schema/numbers.js';
import { ConstraintSchema, DEFAULT_SAMPLING, MAX_TOKEN_ID, SAMPLING_LIMITS as L, SamplingFieldsSchema, SamplingSchema } from '../sampling/sampling.js';
import { Id, type MethodTable } from './common.js';
import { ApiErrorSchema } from './errors.js';
import type { RunMethod } from './methods.js';
import { PromptInputSchema } from './prompts.js';

export const FinishReasonSchema = z.enum(['eos', 'stop', 'maxTokens', 'contextFull', 'cancelled']);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

export const RunMetricsSchema = z.object({
  /** start of the request to the first generated token */
  ttftMs: z.number(),
  totalMs: z.number(),
  promptTokens: z.number(),
  generatedTokens: z.number(),
  /** generated tokens per second after the first token */
  tokensPerSecond: z.number(),
  /** prompt tokens this run evaluated (fewer than promptTokens when a cached prefix was reused or another run's evaluation shared) */
  evaluatedPromptTokens: z.number(),
  /** prompt tokens copied from a run that started with it and evaluated the same prefix once for both */
  sharedPromptTokens: z.number().optional(),
  /** prompt tokens per second over the evaluated ones (and the shared ones, whose evaluation a run waited for) */
  promptTokensPerSecond: z.number(),
});
export type RunMetrics = z.infer<typeof RunMetricsSchema>;

/** One generated token: its text as it appears in the output, and how likely it was. */
export const TokenAlternativeSchema = z.object({ id: z.number(), text: z.string(), p: z.number() });
export type TokenAlternative = z.infer<typeof TokenAlternativeSchema>;
export const TokenStepSchema = z.object({
  id: z.number(),
  text: z.string(),
  /** probability of this token in the distribution it was sampled from (after the sampling settings) */
  p: z.number(),
  /** the most likely candidates at this step, most likely first (empty when not requested) */
  top: z.array(TokenAlternativeSchema),
  /** a special or control token (e.g. "<unk>", "</s>"): its name; its `text` is empty, as in the output */
  special: z.string().optional(),
});
export type TokenStep = z.infer<typeof TokenStepSchema>;

/** Everything needed to reproduce a run: same record + same backend => same output. */
export const ReproRecordSchema = z.object({
  model: z.object({
    path: z.string(),
    fileName: z.string(),
    sizeBytes: z.number(),
    sha256: z.string(),
    architecture: z.string(),
    quantization: z.string(),
    adapters: z.array(z.object({ fileName: z.string(), sha256: z.string(), scale: z.number() })),
  }),
  runtime: z.object({
    backend: z.string(),
    nodeLlamaCpp: z.string(),
    llamaCpp: z.string(),
    contextSize: z.number(),
    batchSize: z.number(),
    threads: z.number(),
    gpuLayers: z.number(),
    /** optional: records saved before these were kept lack them */
    flashAttention: z.union([z.literal('auto'), z.boolean()]).optional(),
    nativeAddon: z.enum(['shotglass', 'stock']).optional(),
  }),
  /** every sampler setting, with the seed actually used */
  sampling: SamplingFieldsSchema.extend({ seed: z.int() }),
  topProbabilities: z.number(),
  prompt: z.object({
    mode: z.enum(['completion', 'chat']),
    sha256: z.string(),
    /** prompt tokens evaluated, forced tokens included */
    tokens: z.number(),
    /** a fork: the tokens forced after the prompt before generation went on */
    forcedTokens: z.array(z.number()).optional(),
  }),
  constraint: z.object({ type: z.enum(['json-schema', 'grammar']), sha256: z.string() }).optional(),
  templateHash: z.string().optional(),
});
export type ReproRecord = z.infer<typeof ReproRecordSchema>;

export const CompletionResultSchema = z.object({
  text: z.string(),
  tokens: z.array(z.number()),
  steps: z.array(TokenStepSchema),
  finishReason: FinishReasonSchema,
  /** the stop string that ended the run (text is cut just before it) */
  stopString: z.string().optional(),
  metrics: RunMetricsSchema,
  record: ReproRecordSchema,
});
export type CompletionResult = z.infer<typeof CompletionResultSchema>;

/** The runs methods: input and output schemas by name. */
export const runMethods = {
  /** Starts a run (raw text or chat); its tokens arrive as run events. */
  startCompletion: {
    input: z
      .strictObject({
        modelId: Id,
        /** raw completion text (shorthand for input: {mode: 'completion', text}) */
        prompt: z.string().max(1_000_000).optional(),
        input: PromptInputSchema.optional(),
        sampling: SamplingSchema.default(DEFAULT_SAMPLING),
        /** how many alternatives to report per generated token (0 = only the chosen token's probability) */
        topProbabilities: whole(L.topProbabilities.min, L.topProbabilities.max).default(5),
        constraint: ConstraintSchema.optional(),
        /** recorded in the run's reproducibility record and its history entry */
        templateHash: z.string().max(128).optional(),
        templateId: Id.optional(),
        templateVersion: z.int().min(1).optional(),
        /** keep the run out of the history */
        ephemeral: z.boolean().default(false),
        /** a fork: token ids forced after the prompt (a generated prefix and the chosen alternative) */
        prefix: z.array(z.int().min(0).max(MAX_TOKEN_ID)).max(32_768).optional(),
      })
      .refine((r) => (r.prompt === undefined) !== (r.input === undefined), {
        message: 'give either prompt or input, not both',
        path: ['input'],
      }),
    output: z.object({ runId: Id }),
  },
  cancelRun: { input: z.strictObject({ runId: Id }), output: z.object({ cancelled: z.boolean() }) },
  /** How likely each candidate is as the next token after a prompt (and forced prefix): the model's full distribution at that temperature. */
  scoreTokens: {
    input: z.strictObject({
      modelId: Id,
      input: PromptInputSchema,
      prefix: z.array(z.int().min(0).max(MAX_TOKEN_ID)).max(32_768).default([]),
      candidates: z.array(z.int().min(0).max(MAX_TOKEN_ID)).min(1).max(64),
      temperature: number(0, 2).default(1),
      /** the run's truncation, so the distribution is the one it sampled from (default: none) */
      topK: z.int().min(0).max(100_000).default(0),
      topP: number(0, 1).default(1),
      minP: number(0, 1).default(0),
    }),
    output: z.array(TokenAlternativeSchema),
  },
} satisfies MethodTable<RunMethod>;

/** Events of a run in flight. */
export const runEvents = [
  /** New text of a run since the last delta (deltas may carry several tokens). */
  z.object({
    type: z.literal('run.delta'),
    runId: Id,
    text: z.string(),
    tokens: z.number(),
    steps: z.array(TokenStepSchema),
  }),
  z.object({ type: z.literal('run.end'), runId: Id, result: CompletionResultSchema }),
  z.object({ type: z.literal('run.error'), runId: Id, error: ApiErrorSchema }),
  /** a run waits for a free sequence of its model ('queued'), or has one and is generating */
  z.object({ type: z.literal('run.state'), runId: Id, state: z.enum(['queued', 'running']) }),
] as const;
