// The one contract between renderer and backend: every request, response and event, as zod
// schemas (validated at runtime on the backend side of IPC and HTTP) and the types inferred from
// them (used by the renderer, preload, Electron main, browser-mode server and CLI alike).
import { z } from 'zod';
import type { Template } from '../prompt/template.js';
import type { ApiMethod } from './methods.js';
import { boundedNumber as number, wholeNumber as whole } from '../schema/numbers.js';
import { ConstraintSchema, DEFAULT_SAMPLING, MAX_TOKEN_ID, SAMPLING_LIMITS as L, SamplingFieldsSchema, SamplingSchema } from '../sampling/sampling.js';

export * from '../sampling/sampling.js';

// ---------------------------------------------------------------- prompts
export const ChatRoleSchema = z.enum(['system', 'user', 'assistant']);
export const ChatMessageSchema = z.strictObject({ role: ChatRoleSchema, content: z.string().max(1_000_000) });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The most text all of a chat's messages may hold together. */
export const MAX_CHAT_CHARS = 1_000_000;

/** What the model is given: exact text, or messages rendered through a chat template. */
export const PromptInputSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('completion'), text: z.string().max(1_000_000) }),
  z.strictObject({
    mode: z.literal('chat'),
    messages: z
      .array(ChatMessageSchema)
      .min(1, 'needs at least one message')
      .max(1000)
      // Rendering and tokenizing a chat runs on the inference process's thread: 5 MB took 67 s.
      .refine((m) => m.reduce((n, x) => n + x.content.length, 0) <= MAX_CHAT_CHARS, {
        message: `hold more than ${MAX_CHAT_CHARS.toLocaleString('en')} characters in all; shorten them`,
      }),
    /** a Jinja chat template to use instead of the model's own */
    template: z.string().min(1).max(100_000).optional(),
  }),
]);
export type PromptInput = z.infer<typeof PromptInputSchema>;

// ---------------------------------------------------------------- models
const Id = z.string().min(1).max(128);

/** A file or folder path on this machine: no NUL (Node would throw its own raw error). */
const PathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character');

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
  /** the failure came from Shotglass's own metadata checks, which skipping ("Load anyway") could get past */
  loadAnyway: z.boolean().optional(),
  contextSize: z.number().optional(),
  isDemo: z.boolean(),
  /** the settings the model is (or was last) loaded with */
  loadOptions: z.lazy(() => LoadOptionsSchema.partial()).optional(),
  /** LoRA adapters on its context */
  adapters: z.array(z.lazy(() => AdapterSchema)).default([]),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

/** A LoRA adapter file applied to a model's context, with its strength. */
export const AdapterSchema = z.strictObject({
  path: z.lazy(() => PathSchema),
  scale: number(-4, 4).default(1),
});
export type Adapter = z.output<typeof AdapterSchema>;

/** How a model is placed and its context sized. */
export const LoadOptionsSchema = z.strictObject({
  /** tokens per sequence; default: the model's training context, at most 4096 */
  contextSize: whole(16, 1_048_576).optional(),
  /** 'auto' fits as many layers as the GPU holds; a number offloads that many; 0 = CPU only */
  gpuLayers: z.union([z.literal('auto'), z.literal('max'), whole(0, 1024)]).default('auto'),
  batchSize: whole(1, 8192).optional(),
  /** 0 = automatic: every core with Shotglass's addon, else one fewer (see the engine's defaultThreads) */
  threads: whole(0, 256).default(0),
  /** 'auto': llama.cpp turns it on where the backend supports it (on the CPU: 30-45% faster prompts) */
  flashAttention: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  useMmap: z.boolean().default(true),
  /** parallel sequences (variants run at once on this model) */
  sequences: whole(1, 16).default(4),
  /** load even when the estimate says it will not fit */
  ignoreMemoryEstimate: z.boolean().default(false),
});
export type LoadOptions = z.output<typeof LoadOptionsSchema>;

export const MemoryEstimateSchema = z.object({
  modelRam: z.number(),
  modelVram: z.number(),
  contextRam: z.number(),
  contextVram: z.number(),
  freeRam: z.number(),
  freeVram: z.number(),
  fits: z.boolean(),
});
export type MemoryEstimate = z.infer<typeof MemoryEstimateSchema>;

/** What a GGUF file is, read without loading it. */
export const ModelInfoSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number(),
  architecture: z.string(),
  name: z.string().nullable(),
  parameters: z.number(),
  quantization: z.string(),
  contextLength: z.number().nullable(),
  layers: z.number(),
  embeddingLength: z.number().nullable(),
  vocabularySize: z.number(),
  tokenizer: z.string(),
  bos: z.object({ id: z.number(), text: z.string() }).nullable(),
  eos: z.object({ id: z.number(), text: z.string() }).nullable(),
  chatTemplate: z.string().nullable(),
  memory: MemoryEstimateSchema,
  warnings: z.array(z.string()),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** The exact prompt a model receives, as text and as tokens. */
export const RenderedPromptSchema = z.object({
  text: z.string(),
  tokens: z.array(z.object({ id: z.number(), text: z.string(), special: z.boolean() })),
  contextSize: z.number(),
  /** chat mode: where the template says the assistant's turn ends */
  stopStrings: z.array(z.string()),
});
export type RenderedPrompt = z.infer<typeof RenderedPromptSchema>;

export const AcceleratorSchema = z.enum(['auto', 'metal', 'cuda', 'vulkan', 'cpu']);
export type Accelerator = z.infer<typeof AcceleratorSchema>;

export const SystemInfoSchema = z.object({
  backend: z.string(),
  requestedAccelerator: AcceleratorSchema,
  availableBackends: z.array(AcceleratorSchema),
  devices: z.array(z.string()),
  vram: z.object({ total: z.number(), free: z.number() }),
  ram: z.object({ total: z.number(), free: z.number() }),
  cpuCores: z.number(),
  nodeLlamaCpp: z.string(),
  llamaCpp: z.string(),
  /** 'shotglass': the patched addon (persistent threadpool, top-N probabilities, shared prompts); 'stock': node-llama-cpp's own */
  nativeAddon: z.enum(['shotglass', 'stock']),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

// ---------------------------------------------------------------- template library
/** A template as stored: validated by the template schema (core/prompt) in the backend. */
const TemplateValue = z.custom<Template>(() => true);

export const TemplateEntrySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    id: z.string(),
    file: z.string(),
    path: z.string(),
    name: z.string(),
    tags: z.array(z.string()),
    version: z.number(),
    savedAt: z.string(),
    origin: z.string(),
    editedOutside: z.boolean(),
    template: TemplateValue,
    warning: z.string().optional(),
  }),
  /** a file that does not parse: listed with the reason, never overwritten */
  z.object({ status: z.literal('broken'), id: z.string(), file: z.string(), path: z.string(), reason: z.string() }),
]);
export type TemplateEntry = z.infer<typeof TemplateEntrySchema>;
export type SavedTemplate = Extract<TemplateEntry, { status: 'ok' }>;

export const LibraryStatusSchema = z.object({ dir: z.string(), problem: z.string().optional(), watching: z.boolean() });
export const TemplateVersionSchema = z.object({
  version: z.number(),
  savedAt: z.string(),
  origin: z.string(),
  restoredFrom: z.number().optional(),
  name: z.string(),
});
export const TemplateDiffSchema = z.object({
  from: z.number(),
  to: z.number(),
  lines: z.array(
    z.object({ op: z.enum(['equal', 'add', 'remove']), text: z.string(), oldLine: z.number().optional(), newLine: z.number().optional() }),
  ),
  unified: z.string(),
});

/** Named sampling settings (partial: what the preset sets). */
export const PresetSchema = z.object({ name: z.string(), description: z.string(), sampling: SamplingFieldsSchema.partial() });
export type Preset = z.infer<typeof PresetSchema>;

// ---------------------------------------------------------------- run history
const JsonObject = z.record(z.string(), z.unknown());
export const RunKindSchema = z.enum(['single', 'comparison', 'evaluation']);
export const RunSummarySchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  kind: RunKindSchema,
  groupId: z.string().optional(),
  variant: z.string().optional(),
  templateId: z.string().optional(),
  templateVersion: z.number().optional(),
  modelPath: z.string(),
  modelSha256: z.string().optional(),
  mode: z.enum(['completion', 'chat']),
  promptPreview: z.string(),
  outputPreview: z.string(),
  finishReason: z.string(),
  metrics: JsonObject,
  rating: z.number().optional(),
  hasProbabilities: z.boolean(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;
export const StoredRunSchema = RunSummarySchema.omit({ promptPreview: true, outputPreview: true, hasProbabilities: true }).extend({
  templateHash: z.string().optional(),
  prompt: z.string(),
  sampling: JsonObject,
  output: z.string(),
  record: JsonObject,
  probabilities: z.unknown().optional(),
  notes: z.string().optional(),
});
export type StoredRun = z.infer<typeof StoredRunSchema>;

// ---------------------------------------------------------------- runs
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

// ---------------------------------------------------------------- errors
export const ErrorCodeSchema = z.enum([
  'invalid-argument',
  'not-found',
  'model-error',
  'host-crashed',
  'cancelled',
  /** what the request would change has changed since it was read (reload, then retry) */
  'conflict',
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

// ---------------------------------------------------------------- A/B comparisons
export const ComparisonVariantSchema = z.strictObject({
  /** stable within the comparison (e.g. 'a', 'b') */
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ and -'),
  label: z.string().min(1).max(100),
  modelId: Id,
  input: PromptInputSchema,
  sampling: SamplingSchema.default(DEFAULT_SAMPLING),
  constraint: ConstraintSchema.optional(),
  /** a fork: tokens forced after the prompt */
  prefix: z.array(z.int().min(0).max(MAX_TOKEN_ID)).max(32_768).optional(),
  /** where the prompt came from (recorded with each run) */
  template: z
    .strictObject({ id: Id.optional(), version: z.int().min(1).optional(), hash: z.string().max(128).optional(), name: z.string().max(200).optional() })
    .optional(),
  /** how to read the answer out of an output, for self-consistency (a template's extraction rule) */
  extraction: z.unknown().optional(),
});
export type ComparisonVariant = z.output<typeof ComparisonVariantSchema>;

export const ComparisonSpecSchema = z
  .strictObject({
    name: z.string().min(1).max(200).default('Comparison'),
    variants: z.array(ComparisonVariantSchema).min(2, 'needs at least 2 variants').max(6, 'holds at most 6 variants'),
    /** samples per variant, with seeds seed, seed+1, ... */
    repeats: whole(1, 64).default(1),
    /** the first seed; drawn and recorded when absent */
    seed: whole(0, 0xffffffff).optional(),
    topProbabilities: whole(L.topProbabilities.min, L.topProbabilities.max).default(5),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.variants.forEach((v, i) => {
      if (seen.has(v.id)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'id'], message: `is used twice ("${v.id}")` });
      seen.add(v.id);
    });
  });
export type ComparisonSpec = z.output<typeof ComparisonSpecSchema>;

export const ComparisonStartSchema = z.object({
  comparisonId: Id,
  seed: z.number(),
  runs: z.array(z.object({ runId: Id, variantId: z.string(), repeat: z.number(), seed: z.number() })),
});

export const VerdictSchema = z.strictObject({
  /** per run: thumbs (-1 / 1) or stars (1..5) */
  ratings: z.record(z.string(), z.strictObject({ thumb: z.union([z.literal(-1), z.literal(1)]).optional(), stars: whole(1, 5).optional() })).default({}),
  /** the winning variant of each repeat (repeat index -> variant id), and overall */
  winners: z.record(z.string(), z.string()).default({}),
  winner: z.string().optional(),
  notes: z.string().max(100_000).default(''),
});
export type Verdict = z.output<typeof VerdictSchema>;

export const ComparisonRunSchema = z.object({
  runId: z.string(),
  historyId: z.string().optional(),
  variantId: z.string(),
  repeat: z.number(),
  seed: z.number(),
  result: CompletionResultSchema.optional(),
  error: ApiErrorSchema.optional(),
});
export type ComparisonRun = z.infer<typeof ComparisonRunSchema>;

export const ComparisonSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  name: z.string(),
  spec: z.custom<ComparisonSpec>(() => true),
  seed: z.number(),
  runs: z.array(ComparisonRunSchema),
  verdict: VerdictSchema,
});
export type Comparison = z.infer<typeof ComparisonSchema>;

export const ComparisonSummarySchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  name: z.string(),
  variants: z.array(z.object({ id: z.string(), label: z.string() })),
  repeats: z.number(),
  winner: z.string().optional(),
});

// ---------------------------------------------------------------- methods

// ---------------------------------------------------------------- drafts (unsaved work, kept per template)
/** A draft's key: the template's library id, or `new-…` for a template never saved. It names a file, so it is kept to a safe alphabet. */
export const DraftKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1 to 128 letters, digits, - or _');
/** The working state of one template: the edited template (validated by the template schema in the backend), where it was saved from, the variable values and the run settings. */
export const DraftSchema = z.strictObject({
  key: DraftKeySchema,
  template: TemplateValue,
  /** The library entry and version the edits started from; null for a template never saved. */
  base: z.strictObject({ id: Id, version: z.int().min(1) }).nullable(),
  values: z.record(z.string().max(200), z.string().max(1_000_000)),
  sampling: SamplingSchema,
  preset: z.string().max(60).nullable(),
  /** The template itself was edited (false: only the variable values were typed). */
  edited: z.boolean(),
  savedAt: z.string(),
});
export type Draft = z.infer<typeof DraftSchema>;
export const DraftSummarySchema = DraftSchema.pick({ key: true, base: true, edited: true, savedAt: true }).extend({ name: z.string() });
export type DraftSummary = z.infer<typeof DraftSummarySchema>;

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
  openModel: { input: z.strictObject({ path: PathSchema }), output: ModelSummarySchema },
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
      options: LoadOptionsSchema.default(LoadOptionsSchema.parse({})),
    }),
    output: ModelSummarySchema,
  },
  /** Read a GGUF file's metadata and estimate its memory needs, without loading it. */
  inspectModel: {
    input: z.strictObject({
      path: PathSchema,
      contextSize: whole(16, 1_048_576).optional(),
      gpuLayers: z.union([z.literal('auto'), z.literal('max'), whole(0, 1024)]).default('auto'),
      sequences: whole(1, 16).default(4),
    }),
    output: ModelInfoSchema,
  },
  /** The exact text and tokens a prompt becomes for a model (what a run would evaluate). */
  renderPrompt: {
    input: z.strictObject({ modelId: Id, input: PromptInputSchema }),
    output: RenderedPromptSchema,
  },
  getSystemInfo: { input: Empty, output: SystemInfoSchema },
  /** Choose the compute backend; restarts the inference process (loaded models reload on use). */
  setAccelerator: { input: z.strictObject({ backend: AcceleratorSchema }), output: SystemInfoSchema },
  unloadModel: { input: z.strictObject({ modelId: Id }), output: ModelSummarySchema },
  /** Attach, rescale or detach LoRA adapters: the list given replaces the model's adapters. */
  setAdapters: {
    input: z.strictObject({ modelId: Id, adapters: z.array(AdapterSchema).max(8, 'at most 8 adapters') }),
    output: ModelSummarySchema,
  },
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

  // ---- A/B comparisons
  startComparison: { input: z.strictObject({ spec: ComparisonSpecSchema }), output: ComparisonStartSchema },
  /** Add variants to a comparison (e.g. a fork from a token), run like the others; at most 6 in all. */
  addComparisonVariants: {
    input: z.strictObject({ comparisonId: Id, variants: z.array(ComparisonVariantSchema).min(1).max(5) }),
    output: ComparisonStartSchema,
  },
  cancelComparison: { input: z.strictObject({ comparisonId: Id }), output: z.object({ cancelled: z.number() }) },
  /** Store the verdict (ratings, winner, notes) and name with the comparison. */
  saveComparison: {
    input: z.strictObject({ comparisonId: Id, name: z.string().min(1).max(200).optional(), verdict: VerdictSchema }),
    output: z.object({ saved: z.boolean() }),
  },
  /** A saved comparison exactly as it was: spec, every run's output, probabilities, metrics, records, verdict. */
  getComparison: { input: z.strictObject({ comparisonId: Id }), output: ComparisonSchema },
  listComparisons: {
    input: z.strictObject({ limit: z.int().min(1).max(200).default(50) }),
    output: z.array(ComparisonSummarySchema),
  },

  // ---- template library (plain files with versions)
  getLibrary: { input: Empty, output: LibraryStatusSchema },
  /** Point the library at another existing, writable folder (e.g. inside a git repository). */
  setLibraryDir: { input: z.strictObject({ dir: PathSchema }), output: LibraryStatusSchema },
  listTemplates: {
    input: z.strictObject({
      text: z.string().max(1000).optional(),
      tags: z.array(z.string().max(100)).max(20).optional(),
    }),
    output: z.array(TemplateEntrySchema),
  },
  listStarters: { input: Empty, output: z.array(TemplateValue) },
  getTemplate: { input: z.strictObject({ id: Id }), output: TemplateEntrySchema },
  createTemplate: { input: z.strictObject({ template: z.unknown() }), output: TemplateEntrySchema },
  /** Save a new version; refused when the file changed since expectedVersion (nothing is overwritten). */
  saveTemplate: {
    input: z.strictObject({ id: Id, template: z.unknown(), expectedVersion: z.int().min(1) }),
    output: TemplateEntrySchema,
  },
  renameTemplate: {
    input: z.strictObject({ id: Id, name: z.string().min(1).max(200), expectedVersion: z.int().min(1) }),
    output: TemplateEntrySchema,
  },
  duplicateTemplate: { input: z.strictObject({ id: Id, name: z.string().min(1).max(200).optional() }), output: TemplateEntrySchema },
  deleteTemplate: { input: z.strictObject({ id: Id }), output: z.object({ trashId: z.string() }) },
  undoDeleteTemplate: { input: z.strictObject({ trashId: z.string().min(1).max(200) }), output: TemplateEntrySchema },
  listTemplateVersions: { input: z.strictObject({ id: Id }), output: z.array(TemplateVersionSchema) },
  getTemplateVersion: {
    input: z.strictObject({ id: Id, version: z.int().min(1) }),
    output: z.object({ info: TemplateVersionSchema, template: TemplateValue }),
  },
  diffTemplateVersions: {
    input: z.strictObject({ id: Id, from: z.int().min(1), to: z.int().min(1) }),
    output: TemplateDiffSchema,
  },
  restoreTemplateVersion: {
    input: z.strictObject({ id: Id, version: z.int().min(1), expectedVersion: z.int().min(1) }),
    output: TemplateEntrySchema,
  },
  /**
   * Import a template from its file text (the renderer reads the file in the page, the CLI reads it
   * itself): the API never reads a path its caller names.
   */
  importTemplate: {
    input: z.strictObject({ text: z.string().max(5_000_000, 'must be at most 5 MB') }),
    output: TemplateEntrySchema,
  },
  /** A template's file text, for the caller to save where it likes: the API never writes a path its caller names. */
  exportTemplate: {
    input: z.strictObject({ id: Id }),
    output: z.object({ text: z.string(), fileName: z.string() }),
  },

  // ---- drafts: unsaved work per template, in the data folder, so nothing typed is lost
  /** Keep (replace) the draft of one template. */
  saveDraft: {
    input: z.strictObject({ draft: DraftSchema.omit({ savedAt: true, template: true }).extend({ template: z.unknown() }) }),
    output: z.object({ savedAt: z.string() }),
  },
  /** The draft of one template, or null when there is none. */
  getDraft: { input: z.strictObject({ key: DraftKeySchema }), output: DraftSchema.nullable() },
  /** Every draft kept, newest first (a file that cannot be read is left out and left alone). */
  listDrafts: { input: Empty, output: z.array(DraftSummarySchema) },
  discardDraft: { input: z.strictObject({ key: DraftKeySchema }), output: z.object({ discarded: z.boolean() }) },

  // ---- sampling presets (built-in, and the user's, saved in the data folder)
  listPresets: { input: Empty, output: z.object({ builtIn: z.array(PresetSchema), user: z.array(PresetSchema) }) },
  savePreset: {
    input: z.strictObject({ name: z.string().min(1).max(60), description: z.string().max(500).default(''), sampling: z.unknown() }),
    output: z.array(PresetSchema),
  },
  deletePreset: { input: z.strictObject({ name: z.string().min(1).max(60) }), output: z.array(PresetSchema) },

  // ---- run history (SQLite)
  listRuns: {
    input: z.strictObject({
      templateId: Id.optional(),
      modelPath: z.string().max(4096).optional(),
      text: z.string().max(1000).optional(),
      kind: RunKindSchema.optional(),
      groupId: Id.optional(),
      cursor: z.string().max(512).optional(),
      limit: z.int().min(1).max(200).default(50),
    }),
    output: z.object({ items: z.array(RunSummarySchema), nextCursor: z.string().nullable() }),
  },
  getRun: {
    input: z.strictObject({ id: Id, probabilities: z.boolean().default(false) }),
    output: StoredRunSchema,
  },
  rateRun: {
    input: z.strictObject({ id: Id, rating: z.number().min(-1).max(5).nullable().optional(), notes: z.string().max(100_000).optional() }),
    output: StoredRunSchema,
  },
  deleteRun: { input: z.strictObject({ id: Id }), output: z.object({ deleted: z.boolean() }) },
  /**
   * A damaged history database (SQLite said so, or it cannot be opened as a history) is renamed to
   * `history.sqlite.damaged-<time>` in the data folder and a new one starts. Refused while the
   * history is sound.
   */
  moveHistoryAside: { input: Empty, output: z.object({ movedTo: z.string() }) },
  tokenize: {
    input: z.strictObject({ modelId: Id, text: z.string().max(1_000_000) }),
    output: z.object({ ids: z.array(z.number()), pieces: z.array(z.string()) }),
  },
  detokenize: {
    input: z.strictObject({
      modelId: Id,
      ids: z.array(z.int().min(0, 'must be token ids (whole numbers from 0)').max(MAX_TOKEN_ID, 'must be token ids')).max(1_000_000),
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
  onEvent(listener: (event: ServiceEvent) => void): () => void;
};

/** What a backend implements: inputs arrive already validated. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

// ---------------------------------------------------------------- events
export const BackendEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('model'), model: ModelSummarySchema }),
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
  /** the library changed (in the app or outside it): refetch what is shown */
  z.object({ type: z.literal('library'), problem: z.string().optional() }),
  /** a finished run was stored in the history (or could not be: error says why) */
  z.object({ type: z.literal('history'), runId: Id, historyId: z.string().optional(), error: z.string().optional() }),
  z.object({
    type: z.literal('host'),
    status: z.enum(['starting', 'ready', 'crashed', 'stopped']),
    message: z.string().optional(),
  }),
]);
export type ServiceEvent = z.infer<typeof BackendEventSchema>;

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
  // A Node system error names a path and a syscall ("EACCES: permission denied, open '/…/x.tmp'"):
  // the user gets what went wrong in words, never the raw message.
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^(E[A-Z]+|ERR_[A-Z_]+)$/.test(code)) {
    return { code: 'internal', message: `a file operation failed (${SYSTEM_ERRORS[code] ?? code})` };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'a file or folder is missing',
  ENOTDIR: 'a folder is missing',
  EISDIR: 'a folder is where a file should be',
  EMFILE: 'too many open files',
  EBUSY: 'a file is busy',
  ELOOP: 'a symbolic link loops',
  ERR_INVALID_ARG_VALUE: 'an invalid path',
  ERR_INVALID_ARG_TYPE: 'an invalid path',
};

/**
 * What the Electron preload exposes as `window.shotglass`: one function per method, returning the
 * envelope as it crossed IPC (errors keep their code; contextBridge would strip it from an Error).
 */
export type ShotglassBridge = {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<Envelope<ApiOutput<M>>>;
} & {
  onEvent(listener: (event: ServiceEvent) => void): () => void;
};
