// Shared by the benchmarks: models, statistics, machine load, llama.cpp's own tools, the Shotglass host.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LlamaContext, LlamaContextSequence, Token } from 'node-llama-cpp';
import type { ServiceEvent, CompletionResult, SamplingInput } from '../core/api/contract.js';
import { createService } from '../service/service.js';
import type { Service } from '../service/types.js';
import { defaultHostEntry, spawnNodeHost } from '../service/inference/node-host.js';
import { ensureBenchModel, type BenchTypeName } from '../build/gguf/bench-model.js';


export const median = (xs: readonly number[]): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
export const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

export function benchModel(type: BenchTypeName): string {
  return ensureBenchModel(type, { log: (line) => console.error(line) });
}

/** One line describing the machine and its load, printed at the start and end of every benchmark. */
export function machineLine(): string {
  const [l1, l5, l15] = loadavg();
  return `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${f2(l1!)} ${f2(l5!)} ${f2(l15!)}`;
}

/**
 * A llama.cpp tool built from the source node-llama-cpp bundles (see bench/README.md), found through
 * --llama-bin DIR or $LLAMA_CPP_BIN; undefined when there is none (those rows are then skipped).
 */
export function llamaTool(name: 'llama-bench' | 'llama-batched-bench', dir = process.env.LLAMA_CPP_BIN): string | undefined {
  if (!dir) return undefined;
  const path = join(dir, name);
  return existsSync(path) ? path : undefined;
}

export interface LlamaBenchRow {
  n_threads: number;
  n_prompt: number;
  n_gen: number;
  avg_ts: number;
  samples_ts: number[];
}

/** Runs llama-bench once and returns its JSON rows. */
export function runLlamaBench(tool: string, args: string[]): LlamaBenchRow[] {
  const out = execFileSync(tool, [...args, '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
  return JSON.parse(out) as LlamaBenchRow[];
}

/**
 * The minimal direct node-llama-cpp loop in a child process (bench/direct-worker.mts), optionally
 * with extra environment (e.g. SHOTGLASS_STOCK_ADDON=1 for node-llama-cpp's stock addon).
 */
export function runDirectWorker(modelPath: string, threads: number, pp: number, tg: number, salt: number, extraEnv: NodeJS.ProcessEnv = {}): { pp: number; tg: number } {
  const worker = join(dirname(fileURLToPath(import.meta.url)), 'direct-worker.mts');
  const env = { ...process.env, ...extraEnv };
  const out = execFileSync(process.execPath, ['--import', 'tsx', worker, modelPath, String(threads), String(pp), String(tg), String(salt)], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { pp: number; tg: number };
}

/** Greedy generation of `n` tokens after `prompt` through the low-level sequence API; returns ms per generated token (first token excluded). */
export async function directGenerate(
  sequence: LlamaContextSequence,
  prompt: Token[],
  n: number,
  options: Parameters<LlamaContextSequence['evaluateWithMetadata']>[2] = {},
  metadata: Parameters<LlamaContextSequence['evaluateWithMetadata']>[1] = {},
): Promise<{ msPerToken: number; ttftMs: number; tokens: number }> {
  await sequence.clearHistory();
  const start = performance.now();
  let first = 0;
  let count = 0;
  for await (const _ of sequence.evaluateWithMetadata(prompt, metadata, { temperature: 0, yieldEogToken: true, ...options })) {
    count++;
    if (count === 1) first = performance.now();
    if (count >= n) break;
  }
  const end = performance.now();
  return { msPerToken: (end - first) / Math.max(1, count - 1), ttftMs: first - start, tokens: count };
}

/** Prompt processing: `tokens` evaluated into an empty sequence without generating; returns tokens/s. */
export async function directPrompt(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
  await sequence.clearHistory();
  const start = performance.now();
  await sequence.evaluateWithoutGeneratingNewTokens(tokens);
  return (tokens.length * 1000) / (performance.now() - start);
}

/** Token ids for prompts: ordinary (non-control) tokens, deterministic. */
export function promptTokens(n: number, salt = 0, bos = 1): Token[] {
  const out: Token[] = [bos as Token];
  let x = (0x9e3779b9 ^ (salt * 0x85ebca6b)) >>> 0 || 1;
  while (out.length < n) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push((300 + ((x >>> 0) % 31000)) as Token);
  }
  return out;
}

/**
 * Records, for each llama_decode call of a context, the sequence id of each token in batch order,
 * by wrapping the addon's `initBatch`/`addToBatch` (internal; for diagnosis only: the benchmark,
 * not the engine, does this).
 */
export function recordBatches(context: LlamaContext): { batches: number[][]; stop: () => void } {
  type Addon = { initBatch(n: number): void; addToBatch(seq: number, first: number, tokens: Uint32Array, logits: Uint32Array): unknown };
  const ctx = (context as unknown as { _ctx: Addon })._ctx;
  const { initBatch, addToBatch } = ctx;
  const batches: number[][] = [];
  // The addon's methods are read-only properties of its prototype: shadow them on the instance.
  Object.defineProperty(ctx, 'initBatch', {
    configurable: true,
    value(this: Addon, n: number) {
      batches.push([]);
      return initBatch.call(this, n);
    },
  });
  Object.defineProperty(ctx, 'addToBatch', {
    configurable: true,
    value(this: Addon, seq: number, first: number, tokens: Uint32Array, logits: Uint32Array) {
      for (let i = 0; i < tokens.length; i++) batches.at(-1)?.push(seq);
      return addToBatch.call(this, seq, first, tokens, logits);
    },
  });
  return {
    batches,
    stop: () => {
      delete (ctx as Partial<Addon>).initBatch;
      delete (ctx as Partial<Addon>).addToBatch;
    },
  };
}

export function histogram(sizes: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const s of sizes) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([size, count]) => `${size}:${count}`)
    .join(' ');
}

/** The Shotglass host (a separate process running electron/host), with one model loaded. */
export interface HostModel {
  run(prompt: string, sampling: SamplingInput, topProbabilities?: number): Promise<CompletionResult>;
  dispose(): Promise<void>;
}

export async function startHostModel(
  modelPath: string,
  options: { threads?: number; sequences?: number; contextSize?: number; batchSize?: number; flashAttention?: boolean | 'auto' } = {},
  env: NodeJS.ProcessEnv = {},
): Promise<HostModel> {
  const backend: Service = createService({
    mode: 'cli',
    spawnHost: spawnNodeHost(defaultHostEntry(), { ...process.env, SHOTGLASS_GPU: 'cpu', ...env }),
    version: 'bench',
  });
  const model = await backend.api.openModel({ path: modelPath });
  await backend.api.loadModel({ modelId: model.id, skipChecks: false, options: { gpuLayers: 0, ...options } as never });
  const run = (prompt: string, sampling: SamplingInput, topProbabilities = 0) =>
    new Promise<CompletionResult>((resolve, reject) => {
      let runId = '';
      const buffered: ServiceEvent[] = [];
      const take = (event: ServiceEvent) => {
        if (!('runId' in event) || event.runId !== runId) return;
        if (event.type === 'run.end') {
          off();
          resolve(event.result);
        } else if (event.type === 'run.error') {
          off();
          reject(new Error(event.error.message));
        }
      };
      const off = backend.onEvent((event) => (runId ? take(event) : buffered.push(event)));
      backend.api.startCompletion({ modelId: model.id, prompt, sampling, topProbabilities } as never).then((r) => {
        runId = (r as { runId: string }).runId;
        for (const e of buffered.splice(0)) take(e);
      }, reject);
    });
  return { run, dispose: () => backend.dispose() };
}
