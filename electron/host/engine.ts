// The inference engine inside the host process: node-llama-cpp models, contexts and runs.
// Everything here may be killed by a llama.cpp abort; the backend's supervisor copes with that.
import { availableParallelism } from 'node:os';
import type { Llama, LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import { ApiError, type CompletionResult, type FinishReason } from '../api/contract.js';
import { checkModelFile, checkReadableFile } from './preflight.js';
import type { CompleteParams, LoadParams } from './protocol.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

/** Runs at once per model: each gets its own sequence of the model's context. */
const SEQUENCES_PER_MODEL = 4;
const DEFAULT_CONTEXT = 4096;

interface LoadedModel {
  path: string;
  model: LlamaModel;
  context: LlamaContext;
}

export class Engine {
  private lib?: Promise<NodeLlamaCpp>;
  private llama?: Promise<Llama>;
  private readonly models = new Map<string, LoadedModel>();
  private readonly runs = new Map<string, AbortController>();
  /** Recent llama.cpp log lines; load errors quote the last error line from here. */
  private readonly log: string[] = [];

  private nodeLlamaCpp(): Promise<NodeLlamaCpp> {
    // node-llama-cpp is ESM-only and never bundled: load it at run time.
    this.lib ??= import('node-llama-cpp');
    return this.lib;
  }

  private getLlama(): Promise<Llama> {
    this.llama ??= this.nodeLlamaCpp().then((lib) =>
      lib.getLlama({
        gpu: resolveGpuSetting(process.env.SHOTGLASS_GPU),
        build: 'never',
        logLevel: lib.LlamaLogLevel.warn,
        logger: (level, message) => {
          this.log.push(`${level}: ${message.trim()}`);
          if (this.log.length > 50) this.log.shift();
        },
      }),
    );
    return this.llama;
  }

  async loadModel(params: LoadParams, onProgress: (progress: number) => void): Promise<{ contextSize: number }> {
    const existing = this.models.get(params.key);
    if (existing) return { contextSize: existing.context.contextSize };
    const lib = await this.nodeLlamaCpp();
    if (params.skipChecks) await checkReadableFile(params.path);
    else await checkModelFile(params.path, (p) => lib.readGgufFileInfo(p));
    const llama = await this.getLlama();
    this.log.length = 0;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: params.path, onLoadProgress: onProgress });
    } catch (error) {
      await this.awaitLogLine(/error loading model/);
      throw new ApiError('model-error', this.explainLoadFailure(error));
    }
    try {
      const context = await model.createContext({
        contextSize: { max: params.contextSize ?? Math.min(model.trainContextSize, DEFAULT_CONTEXT) },
        sequences: SEQUENCES_PER_MODEL,
        // node-llama-cpp's default counts logical CPUs twice over on some machines; more threads
        // than cores makes every decode wait on oversubscribed workers.
        threads: availableParallelism(),
      });
      this.models.set(params.key, { path: params.path, model, context });
      return { contextSize: context.contextSize };
    } catch (error) {
      await model.dispose();
      throw new ApiError('model-error', `the model loaded but no context could be created: ${this.explainLoadFailure(error)}`);
    }
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
    const ids = tokenizePrompt(model, text);
    return { ids, pieces: ids.map((id) => model.detokenize([id as Token], true)) };
  }

  detokenize(key: string, ids: number[]): { text: string } {
    const { model } = this.loaded(key);
    // llama.cpp indexes its vocabulary without a bounds check: an unknown id must not reach it.
    const vocabulary = vocabularySize(model);
    const bad = ids.find((id) => id >= vocabulary);
    if (bad !== undefined) throw new ApiError('invalid-argument', `token id ${bad} is outside the model's vocabulary of ${vocabulary}`);
    return { text: model.detokenize(ids as Token[], true) };
  }

  async complete(params: CompleteParams, onTokens: (text: string, tokens: number[]) => void): Promise<CompletionResult> {
    const { model, context } = this.loaded(params.key);
    const lib = await this.nodeLlamaCpp();
    if (context.sequencesLeft === 0) {
      throw new ApiError('invalid-argument', `this model is already running ${SEQUENCES_PER_MODEL} completions; wait for one to finish`);
    }
    const abort = new AbortController();
    this.runs.set(params.runId, abort);
    const sequence = context.getSequence();
    const completion = new lib.LlamaCompletion({ contextSequence: sequence });
    const { sampling } = params;
    const started = performance.now();
    const promptIds = tokenizePrompt(model, params.prompt);
    let firstTokenAt: number | undefined;
    const tokens: Token[] = [];
    let text = '';
    let pending: Token[] = [];
    // Detokenize against the preceding tokens so a leading space survives (SentencePiece drops
    // it on a sequence's first piece) and hold back a split UTF-8 character until it is whole.
    const flush = (force: boolean) => {
      if (!pending.length) return;
      const context = (tokens.length ? tokens : promptIds).slice(-8);
      const chunk = model.detokenize(pending, false, context);
      if (!force && chunk.endsWith('\uFFFD') && pending.length < 4) return;
      text += chunk;
      tokens.push(...pending);
      onTokens(chunk, pending);
      pending = [];
    };
    try {
      // Tokens, not the string: LlamaCompletion would tokenize with 'trimLeadingSpace', which is
      // not how llama.cpp tokenizes a prompt. It prepends BOS itself.
      const bosPrepended = promptIds[0] === model.tokens.bos && model.tokens.shouldPrependBosToken;
      const response = await completion.generateCompletionWithMeta(bosPrepended ? promptIds.slice(1) : promptIds, {
        temperature: sampling.temperature,
        topK: sampling.topK,
        topP: sampling.topP,
        minP: sampling.minP,
        seed: sampling.seed,
        maxTokens: sampling.maxTokens,
        customStopTriggers: sampling.stop.length ? sampling.stop : undefined,
        signal: abort.signal,
        stopOnAbortSignal: true,
        onToken: (chunk) => {
          firstTokenAt ??= performance.now();
          pending.push(...chunk);
          flush(false);
        },
      });
      flush(true);
      const ended = performance.now();
      const generated = tokens.length;
      return {
        text,
        tokens,
        finishReason: finishReason(response.metadata.stopReason),
        metrics: {
          ttftMs: (firstTokenAt ?? ended) - started,
          totalMs: ended - started,
          promptTokens: promptIds.length,
          generatedTokens: generated,
          tokensPerSecond:
            generated > 1 && firstTokenAt !== undefined ? ((generated - 1) * 1000) / (ended - firstTokenAt) : 0,
        },
      };
    } finally {
      this.runs.delete(params.runId);
      completion.dispose();
      await sequence.dispose();
    }
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    run?.abort();
    return run !== undefined;
  }
}

/** The prompt's tokens as the model evaluates them: llama.cpp's tokenization, BOS first when the model wants one. */
function tokenizePrompt(model: LlamaModel, prompt: string): Token[] {
  const ids = model.tokenize(prompt, false);
  const bos = model.tokens.bos;
  return bos !== null && model.tokens.shouldPrependBosToken ? [bos, ...ids] : ids;
}

function vocabularySize(model: LlamaModel): number {
  return model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
}

function finishReason(stopReason: string): FinishReason {
  switch (stopReason) {
    case 'eogToken':
      return 'eos';
    case 'maxTokens':
      return 'maxTokens';
    case 'abort':
      return 'cancelled';
    default:
      return 'stop';
  }
}

function resolveGpuSetting(value: string | undefined): 'auto' | false | 'metal' | 'cuda' | 'vulkan' {
  switch (value) {
    case 'cpu':
    case 'false':
      return false;
    case 'metal':
    case 'cuda':
    case 'vulkan':
      return value;
    default:
      return 'auto';
  }
}
