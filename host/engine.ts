// The inference engine inside the host process: node-llama-cpp models, contexts, sequences, runs.
// Everything here may be killed by a llama.cpp abort; the backend's supervisor copes with that.
import { createHash, randomInt } from 'node:crypto';
import { availableParallelism, freemem, totalmem } from 'node:os';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import {
  ApiError,
  AcceleratorSchema,
  type Adapter,
  type Accelerator,
  type CompletionResult,
  type Constraint,
  type LoadOptions,
  type ModelInfo,
  type PromptInput,
  type RenderedPrompt,
  type ReproRecord,
  type Sampling,
  type SystemInfo,
  type TokenStep,
} from '../core/api/contract.js';
import { StepBarrier } from './decode-barrier.js';
import { commonPrefix, generate, keepOnly, reusablePrefix } from './generate.js';
import { checkJsonSchema } from './json-schema.js';
import { DEFAULT_CONTEXT, estimateMemory, formatBytes, inspectModel, quantizationName, type Placement } from '../node/gguf/inspect.js';
import { checkAdapterFile, checkModelFile, checkGgufFile, flattenMetadata, refuseBeyondTrainedContext } from '../node/gguf/preflight.js';
import type { CompleteParams, LoadParams, ScoreParams } from './protocol.js';
import { canCopySequences, copySequence, isPatchedAddon, PROBABILITIES_LIMIT, setProbabilitiesLimit } from './native-addon.js';
import { checkListable, promptTokens, renderPrompt, tokenizeCompletion } from './render.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

interface LoadedModel {
  path: string;
  model: LlamaModel;
  options: LoadOptions;
  adapters: Adapter[];
  context: LlamaContext;
  /** every sequence of the context; each holds the KV cache of its last run */
  sequences: LlamaContextSequence[];
  busy: Set<LlamaContextSequence>;
  /** makes the runs on this context share decodes */
  barrier: StepBarrier;
  /** prompts being evaluated once for several runs that start together (see sharePrompt) */
  prefills: PrefillGroup[];
  /** scores in flight: they need the whole next-token distribution, not the top N */
  fullDistributions: number;
  /** runs waiting for a free sequence, first come first served */
  waiting: Array<(sequence: LlamaContextSequence) => void>;
  architecture: string;
  quantization: string;
  runtime: ReproRecord['runtime'];
}

interface PrefillGroup {
  /** the leader's prompt without its last token: what it evaluates for everyone */
  tokens: Token[];
  followers: Set<LlamaContextSequence>;
  ready: Promise<void>;
}

/** A run shares another's prompt evaluation when that saves it at least this many tokens. */
const MIN_SHARED_TOKENS = 8;

export class Engine {
  private lib?: Promise<NodeLlamaCpp>;
  private llama?: Promise<Llama>;
  private readonly models = new Map<string, LoadedModel>();
  private readonly runs = new Map<string, AbortController>();
  /** Recent llama.cpp log lines; load errors quote the last error line from here. */
  private readonly log: string[] = [];

  constructor(private readonly requestedAccelerator: Accelerator = parseBackend(process.env.SHOTGLASS_GPU)) {}

  private nodeLlamaCpp(): Promise<NodeLlamaCpp> {
    // node-llama-cpp is ESM-only and never bundled: load it at run time.
    this.lib ??= import('node-llama-cpp');
    return this.lib;
  }

  private getLlama(): Promise<Llama> {
    this.llama ??= this.nodeLlamaCpp().then(async (lib) => {
      const gpu = this.requestedAccelerator === 'cpu' ? false : this.requestedAccelerator;
      try {
        const llama = await lib.getLlama({
          gpu,
          build: 'never',
          // node-llama-cpp prefers a local build (Shotglass's addon, scripts/native); a custom cmake
          // option names a local build that does not exist, so this falls back to its prebuilt one.
          ...(process.env.SHOTGLASS_STOCK_ADDON === '1' ? { cmakeOptions: { SHOTGLASS_STOCK_ADDON: '1' } } : {}),
          logLevel: lib.LlamaLogLevel.warn,
          logger: (level, message) => {
            this.log.push(`${level}: ${message.trim()}`);
            if (this.log.length > 50) this.log.shift();
          },
        });
        // node-llama-cpp's default is max(4, cores): more ggml threads than cores spin at its
        // barriers waiting for descheduled ones (0.6 instead of 35 tokens/s on 2 cores). With the
        // cap, contexts that decode at once split the cores between them.
        llama.maxThreads = llama.cpuMathCores;
        return llama;
      } catch (error) {
        this.llama = undefined;
        const why = error instanceof Error ? error.message : String(error);
        throw new ApiError(
          'invalid-argument',
          gpu === 'auto'
            ? `llama.cpp could not start on this machine: ${why}`
            : `the ${this.requestedAccelerator} backend is not available on this machine (${why}); choose another backend`,
        );
      }
    });
    return this.llama;
  }

  async systemInfo(): Promise<SystemInfo> {
    const lib = await this.nodeLlamaCpp();
    const llama = await this.getLlama();
    const vram = await llama.getVramState();
    const gpuTypes = await lib.getLlamaGpuTypes('supported');
    const available = ['auto', ...gpuTypes.filter((t) => t !== false), 'cpu'].filter(
      (t): t is Accelerator => AcceleratorSchema.safeParse(t).success,
    );
    return {
      backend: llama.gpu === false ? 'cpu' : llama.gpu,
      requestedAccelerator: this.requestedAccelerator,
      availableBackends: [...new Set(available)],
      devices: await llama.getGpuDeviceNames(),
      vram: { total: vram.total, free: vram.free },
      ram: { total: totalmem(), free: freemem() },
      cpuCores: availableParallelism(),
      nodeLlamaCpp: await lib.getModuleVersion(),
      llamaCpp: llama.llamaCppRelease.release,
      nativeAddon: isPatchedAddon(llama) ? 'shotglass' : 'stock',
    };
  }

  async inspect(path: string, placement: Placement): Promise<ModelInfo> {
    const lib = await this.nodeLlamaCpp();
    const info = await checkModelFile(path, (p) => lib.readGgufFileInfo(p));
    const size = await checkGgufFile(path);
    return inspectModel(lib, await this.getLlama(), path, size, info, placement);
  }

  async loadModel(params: LoadParams, onProgress: (progress: number) => void): Promise<{ contextSize: number }> {
    const existing = this.models.get(params.key);
    if (existing) return { contextSize: existing.context.contextSize };
    const lib = await this.nodeLlamaCpp();
    const options = params.options;
    const info = params.skipChecks ? undefined : await checkModelFile(params.path, (p) => lib.readGgufFileInfo(p));
    if (params.skipChecks) await checkGgufFile(params.path);
    const llama = await this.getLlama();
    if (info) refuseBeyondTrainedContext(info, options);
    if (info && !options.ignoreMemoryEstimate) await this.refuseIfTooBig(lib, llama, info, options);

    this.log.length = 0;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: params.path,
        gpuLayers: options.gpuLayers,
        useMmap: options.useMmap,
        onLoadProgress: onProgress,
      });
    } catch (error) {
      await this.awaitLogLine(/error loading model/);
      throw new ApiError('model-error', this.explainLoadFailure(error));
    }
    try {
      const meta = flattenMetadata(model.fileInfo.metadata as unknown as Record<string, unknown>);
      const loaded: LoadedModel = {
        path: params.path,
        model,
        options,
        adapters: [],
        architecture: String(meta['general.architecture'] ?? 'unknown'),
        quantization: quantizationName(meta['general.file_type']),
        ...(await this.openContext(lib, llama, model, options, [])),
      };
      this.models.set(params.key, loaded);
      if (params.adapters.length) await this.setAdapters(params.key, params.adapters);
      return { contextSize: loaded.context.contextSize };
    } catch (error) {
      if (this.models.get(params.key)?.model === model) await this.unloadModel(params.key);
      else await model.dispose();
      if (error instanceof ApiError) throw error;
      throw new ApiError('model-error', `the model loaded but no context could be created: ${this.explainLoadFailure(error)}`);
    }
  }

  /** A context with its sequences (and LoRA adapters, which live on the context). */
  private async openContext(lib: NodeLlamaCpp, llama: Llama, model: LlamaModel, options: LoadOptions, adapters: Adapter[]) {
    const patchedAddon = isPatchedAddon(llama);
    const threads = options.threads || defaultThreads(llama.cpuMathCores, patchedAddon, model.size);
    const context = await model.createContext({
      contextSize: options.contextSize ?? { max: Math.min(model.trainContextSize, DEFAULT_CONTEXT) },
      sequences: options.sequences,
      batchSize: options.batchSize,
      threads: options.threads ? threads : { ideal: threads, min: 1 },
      flashAttention: options.flashAttention,
      ...(adapters.length ? { lora: { adapters: adapters.map((a) => ({ filePath: a.path, scale: a.scale })) } } : {}),
    });
    setProbabilitiesLimit(context, PROBABILITIES_LIMIT);
    return {
      context,
      // Created in order, so sequence i has id i (the barrier releases runs in id order).
      sequences: Array.from({ length: options.sequences }, () => context.getSequence()),
      busy: new Set<LlamaContextSequence>(),
      waiting: [],
      barrier: new StepBarrier(),
      prefills: [],
      fullDistributions: 0,
      runtime: {
        backend: llama.gpu === false ? 'cpu' : llama.gpu,
        nodeLlamaCpp: await lib.getModuleVersion(),
        llamaCpp: llama.llamaCppRelease.release,
        contextSize: context.contextSize,
        batchSize: context.batchSize,
        // what the context got (node-llama-cpp caps it at the cores), not what was asked
        threads: context.idealThreads,
        gpuLayers: model.gpuLayers,
        flashAttention: context.flashAttention,
        nativeAddon: patchedAddon ? ('shotglass' as const) : ('stock' as const),
      },
    };
  }

  /** Replace a model's LoRA adapters: a new context (the weights stay loaded). */
  async setAdapters(key: string, adapters: Adapter[]): Promise<{ contextSize: number }> {
    const loaded = this.loaded(key);
    if (loaded.busy.size) throw new ApiError('invalid-argument', 'wait for this model\'s running completions to finish before changing its adapters');
    const lib = await this.nodeLlamaCpp();
    const llama = await this.getLlama();
    for (const adapter of adapters) await checkAdapterFile(adapter.path, loaded.architecture, (p) => lib.readGgufFileInfo(p));
    await loaded.context.dispose();
    try {
      Object.assign(loaded, await this.openContext(lib, llama, loaded.model, loaded.options, adapters), { adapters });
    } catch (error) {
      // Keep the model usable without the adapters that failed.
      Object.assign(loaded, await this.openContext(lib, llama, loaded.model, loaded.options, []), { adapters: [] });
      throw new ApiError('model-error', `the adapters could not be applied: ${(error as Error).message}`);
    }
    return { contextSize: loaded.context.contextSize };
  }

  private async refuseIfTooBig(lib: NodeLlamaCpp, llama: Llama, info: Awaited<ReturnType<NodeLlamaCpp['readGgufFileInfo']>>, options: LoadOptions) {
    const insights = await lib.GgufInsights.from(info, llama);
    const memory = await estimateMemory(
      llama,
      insights,
      { contextSize: options.contextSize, gpuLayers: options.gpuLayers, sequences: options.sequences },
      insights.trainContextSize ?? null,
    );
    if (memory.fits) return;
    const ram = memory.modelRam + memory.contextRam;
    const vram = memory.modelVram + memory.contextVram;
    const parts = [
      ram > memory.freeRam ? `${formatBytes(ram)} of RAM (model ${formatBytes(memory.modelRam)}, context ${formatBytes(memory.contextRam)}) but ${formatBytes(memory.freeRam)} is free` : '',
      vram > memory.freeVram ? `${formatBytes(vram)} of GPU memory but ${formatBytes(memory.freeVram)} is free` : '',
    ].filter(Boolean);
    throw new ApiError(
      'model-error',
      `it would need ${parts.join(', and ')}; choose a smaller context, fewer parallel sequences or fewer GPU layers, or load anyway`,
    );
  }

  /** llama.cpp's log reaches JS asynchronously, sometimes after the failure it explains. */
  private async awaitLogLine(pattern: RegExp, timeoutMs = 250): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!this.log.some((line) => pattern.test(line)) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private explainLoadFailure(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const detail = [...this.log]
      .reverse()
      .map((line) => /error loading model: (.*)/.exec(line)?.[1])
      .find(Boolean);
    if (detail) return `llama.cpp could not load it: ${detail.replace(/\s+/g, ' ')}`;
    return `llama.cpp could not load it: ${message}`;
  }

  async unloadModel(key: string): Promise<boolean> {
    const loaded = this.models.get(key);
    if (!loaded) return false;
    this.models.delete(key);
    await loaded.context.dispose();
    await loaded.model.dispose();
    return true;
  }

  private loaded(key: string): LoadedModel {
    const loaded = this.models.get(key);
    if (!loaded) throw new ApiError('not-found', 'that model is not loaded');
    return loaded;
  }

  tokenize(key: string, text: string): { ids: number[]; pieces: string[] } {
    const { model } = this.loaded(key);
    const ids = tokenizeCompletion(model, text);
    checkListable(ids.length);
    return { ids, pieces: ids.map((id) => model.detokenize([id], true)) };
  }

  detokenize(key: string, ids: number[]): { text: string } {
    const { model } = this.loaded(key);
    this.checkTokenIds(model, ids);
    return { text: model.detokenize(ids as Token[], true) };
  }

  async render(key: string, input: PromptInput): Promise<RenderedPrompt> {
    const { model, context } = this.loaded(key);
    return renderPrompt(await this.nodeLlamaCpp(), model, context.contextSize, input);
  }

  async complete(
    params: CompleteParams,
    onDelta: (text: string, steps: TokenStep[]) => void,
    onState: (state: 'queued' | 'running') => void = () => {},
  ): Promise<CompletionResult> {
    const loaded = this.loaded(params.key);
    const { model, context } = loaded;
    const lib = await this.nodeLlamaCpp();
    const llama = await this.getLlama();
    const rendered = await promptTokens(lib, model, params.input);
    // A fork continues after tokens the user chose: they are part of the prompt.
    const forced = params.prefix ?? [];
    this.checkTokenIds(model, forced);
    // A biased id past the vocabulary would wrap (2^32+5 is token 5 to llama.cpp): refuse it.
    this.checkTokenIds(model, params.sampling.tokenBias.flatMap((b) => (typeof b.token === 'number' ? [b.token] : [])));
    const prompt = { ...rendered, tokens: [...rendered.tokens, ...(forced as Token[])] };
    if (prompt.tokens.length >= context.contextSize) {
      throw new ApiError(
        'invalid-argument',
        `the prompt has ${prompt.tokens.length} tokens but the context holds ${context.contextSize}; shorten it or load the model with a larger context`,
      );
    }
    const grammar = params.constraint ? await createConstraint(llama, params.constraint) : undefined;
    const sampling = { ...params.sampling, seed: params.sampling.seed ?? randomInt(0, 0xffffffff) };
    const abort = new AbortController();
    this.runs.set(params.runId, abort);
    let sequence: LlamaContextSequence | undefined;
    const started = performance.now();
    try {
      sequence = await this.acquire(loaded, prompt.tokens, abort.signal, onState);
      const shared = await this.sharePrompt(loaded, sequence, prompt.tokens);
      const generated = await generate({
        lib,
        model,
        sequence,
        prompt: prompt.tokens,
        sampling,
        topProbabilities: params.topProbabilities,
        grammar,
        extraStops: prompt.stopStrings,
        signal: abort.signal,
        onDelta,
        barrier: loaded.barrier,
        rank: loaded.sequences.indexOf(sequence),
        started,
        shared,
      });
      const record: ReproRecord = {
        model: {
          path: loaded.path,
          fileName: loaded.path.split(/[\\/]/).pop() ?? loaded.path,
          sizeBytes: params.modelSizeBytes,
          sha256: params.modelSha256,
          architecture: loaded.architecture,
          quantization: loaded.quantization,
          adapters: params.adapters,
        },
        runtime: loaded.runtime,
        sampling: sampling as ReproRecord['sampling'],
        topProbabilities: params.topProbabilities,
        prompt: {
          mode: prompt.mode,
          sha256: sha256(JSON.stringify(params.input)),
          tokens: prompt.tokens.length,
          ...(forced.length ? { forcedTokens: forced } : {}),
        },
        ...(params.constraint ? { constraint: { type: params.constraint.type, sha256: sha256(JSON.stringify(params.constraint)) } } : {}),
        ...(params.templateHash ? { templateHash: params.templateHash } : {}),
      };
      return { ...generated, record };
    } finally {
      this.runs.delete(params.runId);
      if (sequence) this.release(loaded, sequence);
    }
  }

  /** The probability of each candidate as the next token after the prompt (and prefix). */
  async score(params: ScoreParams): Promise<{ id: number; text: string; p: number }[]> {
    const loaded = this.loaded(params.key);
    const lib = await this.nodeLlamaCpp();
    const prefix = params.prefix as Token[];
    this.checkTokenIds(loaded.model, [...prefix, ...params.candidates]);
    const tokens = [...(await promptTokens(lib, loaded.model, params.input)).tokens, ...prefix];
    const abort = new AbortController();
    const sequence = await this.acquire(loaded, tokens, abort.signal, () => {});
    // While a score runs, every sample on the context ships the whole vocabulary (the limit is
    // read when a sample starts, on this thread, so flipping it is safe at any time).
    try {
      if (loaded.fullDistributions++ === 0) setProbabilitiesLimit(loaded.context, 0);
      loaded.barrier.join();
      let distribution: Map<Token, number>;
      try {
        await loaded.barrier.step(loaded.sequences.indexOf(sequence));
        distribution = await nextTokenDistribution(sequence, tokens, { temperature: params.temperature, topK: params.topK ?? 0, topP: params.topP ?? 1, minP: params.minP ?? 0 });
      } finally {
        loaded.barrier.leave();
      }
      return params.candidates.map((id) => ({
        id,
        text: loaded.model.detokenize([id as Token], true, tokens.slice(-8)),
        p: distribution.get(id as Token) ?? 0,
      }));
    } finally {
      if (--loaded.fullDistributions === 0) setProbabilitiesLimit(loaded.context, PROBABILITIES_LIMIT);
      this.release(loaded, sequence);
    }
  }

  /**
   * Runs that start together with a long common prompt prefix (a comparison's variants) evaluate
   * it once: the first becomes the leader and evaluates its prompt but the last token; the others
   * wait for it and then get a copy of its KV cache (the patched addon's sequence copy) and
   * evaluate only what differs. Copies happen only when every busy sequence of the context is in
   * the group, since no decode may be in flight meanwhile. Otherwise each run evaluates its own.
   */
  private async sharePrompt(loaded: LoadedModel, sequence: LlamaContextSequence, prompt: Token[]): Promise<{ evaluated: number; copied: number }> {
    const none = { evaluated: 0, copied: 0 };
    // Models with checkpoints (sliding-window, recurrent, hybrid) have node-llama-cpp save state on
    // worker threads after decodes: a copy could race with that, so they are never shared.
    if (!canCopySequences(loaded.context) || sequence.needsCheckpoints) return none;
    const own = reusablePrefix(sequence.contextTokens, prompt);
    for (const group of loaded.prefills) {
      if (commonPrefix(group.tokens, prompt) >= own + MIN_SHARED_TOKENS) {
        group.followers.add(sequence);
        await group.ready;
        // Copied or not (the copy is skipped when it is unsafe), the sequence says what it holds.
        const held = reusablePrefix(sequence.contextTokens, prompt);
        return { evaluated: 0, copied: held > own ? held : 0 };
      }
    }
    const prefill = prompt.slice(0, -1);
    if (prefill.length - own < MIN_SHARED_TOKENS) return none;
    let done!: () => void;
    const group: PrefillGroup = { tokens: prefill, followers: new Set(), ready: new Promise<void>((resolve) => (done = resolve)) };
    loaded.prefills.push(group);
    try {
      await keepOnly(sequence, own);
      await sequence.evaluateWithoutGeneratingNewTokens(prefill.slice(own));
    } finally {
      loaded.prefills.splice(loaded.prefills.indexOf(group), 1);
      try {
        const members = new Set([sequence, ...group.followers]);
        const stillLoaded = [...this.models.values()].includes(loaded) && !loaded.context.disposed;
        const alone = [...loaded.busy].every((s) => members.has(s));
        if (group.followers.size && stillLoaded && alone && sequence.nextTokenIndex === prefill.length) {
          copySequence(loaded.context, sequence, [...group.followers]);
        }
      } catch (error) {
        // The followers are left empty and evaluate their own prompts: slower, still right.
        this.log.push(`warn: a prompt could not be shared: ${(error as Error).message}`);
      } finally {
        done();
      }
    }
    return { evaluated: prefill.length - own, copied: 0 };
  }

  /** llama.cpp indexes its vocabulary without a bounds check: an unknown id must not reach it. */
  private checkTokenIds(model: LlamaModel, ids: readonly number[]): void {
    const vocabulary = vocabularySize(model);
    const bad = ids.find((id) => id >= vocabulary);
    if (bad !== undefined) throw new ApiError('invalid-argument', `token id ${bad} is outside the model's vocabulary of ${vocabulary}`);
  }

  /**
   * A free sequence, preferring the one whose cache already holds the longest prefix of the
   * prompt; when all are busy the run waits its turn (first come, first served).
   */
  private acquire(
    loaded: LoadedModel,
    prompt: Token[],
    signal: AbortSignal,
    onState: (state: 'queued' | 'running') => void,
  ): Promise<LlamaContextSequence> {
    let best: LlamaContextSequence | undefined;
    let bestShared = -1;
    for (const sequence of loaded.sequences) {
      if (loaded.busy.has(sequence)) continue;
      const shared = commonPrefix(sequence.contextTokens, prompt);
      if (shared > bestShared) {
        best = sequence;
        bestShared = shared;
      }
    }
    if (best) {
      loaded.busy.add(best);
      onState('running');
      return Promise.resolve(best);
    }
    onState('queued');
    return new Promise((resolve, reject) => {
      const take = (sequence: LlamaContextSequence) => {
        signal.removeEventListener('abort', leave);
        onState('running');
        resolve(sequence);
      };
      const leave = () => {
        loaded.waiting.splice(loaded.waiting.indexOf(take), 1);
        reject(new ApiError('cancelled', 'stopped before it started'));
      };
      signal.addEventListener('abort', leave, { once: true });
      loaded.waiting.push(take);
    });
  }

  /** A finished run's sequence goes to the next waiting run, or back to the pool. */
  private release(loaded: LoadedModel, sequence: LlamaContextSequence): void {
    const next = loaded.waiting.shift();
    if (next) next(sequence);
    else loaded.busy.delete(sequence);
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    run?.abort();
    return run !== undefined;
  }
}

async function createConstraint(llama: Llama, constraint: Constraint): Promise<LlamaGrammar> {
  if (constraint.type === 'json-schema') checkJsonSchema(constraint.schema);
  try {
    if (constraint.type === 'json-schema') {
      return await llama.createGrammarForJsonSchema(constraint.schema as never);
    }
    return await llama.createGrammar({ grammar: constraint.gbnf });
  } catch (error) {
    const what = constraint.type === 'json-schema' ? 'JSON schema' : 'grammar';
    throw new ApiError('invalid-argument', `the ${what} cannot be used: ${(error as Error).message}`);
  }
}

/** Below this size a model's whole matrix work per token takes microseconds: threads only add sync. */
export const SINGLE_THREAD_MODEL_BYTES = 32 * 1024 * 1024;

/**
 * Every core with Shotglass's addon, which gives each context a persistent ggml threadpool. The
 * stock addon starts and joins ggml's workers on every decode, and they spin at its barriers: with
 * all cores taken, anything else running (the UI, another run) makes a token cost tens of ms instead
 * of one (2 cores: 77 ms vs 0.9 ms per token on the demo model), so without the patch one core is
 * left free. A tiny model (the demo) gets one thread either way: its ~20 ops per token each end at a
 * barrier that costs more than the op, and parallel variants' sampling competes for the cores (on 2
 * cores a 4-variant comparison on the demo model took 3.3x one variant at 2 threads, 1.45x at 1).
 * Users can set threads explicitly.
 */
export function defaultThreads(cores: number, persistentThreadpool: boolean, modelBytes = Infinity): number {
  if (modelBytes < SINGLE_THREAD_MODEL_BYTES) return 1;
  return persistentThreadpool ? Math.max(1, cores) : Math.max(1, cores - 1);
}

/** Evaluate up to the last token and read the full next-token distribution (no truncation). */
async function nextTokenDistribution(
  sequence: LlamaContextSequence,
  tokens: Token[],
  sampler: { temperature: number; topK: number; topP: number; minP: number },
): Promise<Map<Token, number>> {
  const reused = reusablePrefix(sequence.contextTokens, tokens);
  await keepOnly(sequence, reused);
  const iterator = sequence.evaluateWithMetadata(tokens.slice(reused), { probabilities: true }, { ...sampler, yieldEogToken: true });
  for await (const output of iterator) return output.probabilities;
  return new Map();
}

function vocabularySize(model: LlamaModel): number {
  return model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function parseBackend(value: string | undefined): Accelerator {
  if (value === 'false') return 'cpu';
  const parsed = AcceleratorSchema.safeParse(value);
  return parsed.success ? parsed.data : 'auto';
}
