// For bench/compare.mts --trace: what each llama_decode of the host's contexts holds and costs.
// Loaded into the inference host with `--import` (compare.mts adds it to the host's execArgv) and
// SHOTGLASS_BENCH_TRACE=FILE, it wraps the addon's initBatch/addToBatch/decodeBatch on every context
// the host creates (diagnosis only; the engine is unchanged) and appends one JSON line per decode:
// the sequence id of every token in batch order and the decode's time. The bench reads and sums them.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { LlamaModel as LlamaModelInstance } from 'node-llama-cpp';
import { forwardPasses } from './forward-passes.mjs';

export interface Decode {
  /** sequence id of each token, in batch order */
  seqs: number[];
  ms: number;
}

const traceFile = process.env.SHOTGLASS_BENCH_TRACE;
if (traceFile) {
  const { LlamaModel } = await import('node-llama-cpp');
  type Addon = {
    initBatch(n: number): void;
    addToBatch(seq: number, first: number, tokens: Uint32Array, logits: Uint32Array): unknown;
    decodeBatch(): Promise<void>;
  };
  const createContext = LlamaModel.prototype.createContext;
  LlamaModel.prototype.createContext = async function (this: LlamaModelInstance, ...args: Parameters<typeof createContext>) {
    const context = await createContext.apply(this, args);
    const ctx = (context as unknown as { _ctx: Addon })._ctx;
    const { initBatch, addToBatch, decodeBatch } = ctx;
    let seqs: number[] = [];
    // The addon's methods are read-only properties of its prototype: shadow them on the instance.
    const shadow = (name: keyof Addon, value: (...a: never[]) => unknown) => Object.defineProperty(ctx, name, { configurable: true, value });
    shadow('initBatch', function (this: Addon, n: number) {
      seqs = [];
      return initBatch.call(this, n);
    });
    shadow('addToBatch', function (this: Addon, seq: number, first: number, tokens: Uint32Array, logits: Uint32Array) {
      for (let i = 0; i < tokens.length; i++) seqs.push(seq);
      return addToBatch.call(this, seq, first, tokens, logits);
    });
    shadow('decodeBatch', async function (this: Addon) {
      const batch = seqs;
      const start = performance.now();
      try {
        return await decodeBatch.call(this);
      } finally {
        appendFileSync(traceFile, JSON.stringify({ seqs: batch, ms: performance.now() - start }) + '\n');
      }
    });
    return context;
  };
}

/** The decodes appended to the trace file since line `from`. */
export function readDecodes(file: string, from: number): Decode[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(from).map((line) => JSON.parse(line) as Decode);
}

export interface DecodeSummary {
  /** decodes holding prompt tokens (some sequence has more than one token in it) */
  promptDecodes: number;
  promptTokens: number;
  promptMs: number;
  /** decodes of generated tokens (one per sequence) */
  genDecodes: number;
  genTokens: number;
  genMs: number;
  /** each generation decode's time */
  genDecodeMs: number[];
  /** forward passes llama.cpp makes of the generation decodes */
  genPasses: number;
}

export function summarize(decodes: readonly Decode[]): DecodeSummary {
  const s: DecodeSummary = { promptDecodes: 0, promptTokens: 0, promptMs: 0, genDecodes: 0, genTokens: 0, genMs: 0, genDecodeMs: [], genPasses: 0 };
  for (const d of decodes) {
    if (new Set(d.seqs).size < d.seqs.length) {
      s.promptDecodes++;
      s.promptTokens += d.seqs.length;
      s.promptMs += d.ms;
    } else {
      s.genDecodes++;
      s.genTokens += d.seqs.length;
      s.genMs += d.ms;
      s.genDecodeMs.push(d.ms);
      s.genPasses += forwardPasses(d.seqs);
    }
  }
  return s;
}

/** The q-quantile (0..1) of some numbers, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}
