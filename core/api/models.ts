// Models: GGUF files registered, inspected, loaded and placed; the machine's compute; tokens.
import { z } from 'zod';
import { boundedNumber as number, wholeNumber as whole } from '../schema/numbers.js';
import { MAX_TOKEN_ID } from '../sampling/sampling.js';
import { Empty, Id, PathSchema, type MethodTable } from './common.js';
import type { ModelMethod } from './methods.js';
import { PromptInputSchema, RenderedPromptSchema } from './prompts.js';

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

/** The models methods: input and output schemas by name. */
export const modelMethods = {
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
} satisfies MethodTable<ModelMethod>;

/** Events about models and the inference process. */
export const modelEvents = [
  z.object({ type: z.literal('model'), model: ModelSummarySchema }),
  z.object({
    type: z.literal('host'),
    status: z.enum(['starting', 'ready', 'crashed', 'stopped']),
    message: z.string().optional(),
  }),
] as const;
