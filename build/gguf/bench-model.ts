// Benchmark models: a 0.84B-parameter llama with random weights, at the shape issue 3 measures
// (16 layers, n_embd 2048, n_ff 5632, 32 heads / 4 KV heads, 32,000-token vocabulary), in Q4_0
// (~470 MB) and Q8_0 (~890 MB). Generated on demand into bench/models/ (gitignored), never committed.
//
//   npm run bench:models [-- --type q4_0|q8_0|all] [--out DIR] [--force]
//
// Weights are normal(0, 0.02) from a seeded xorshift generator through an inverse-CDF table (two
// normals per 32-bit draw, so 0.84B values take seconds, not minutes); norms are 1. The rows of
// output.weight for the control tokens (<unk>, <s>, </s>) are zero: their logit is exactly 0 while
// the maximum of the 32,000 random logits is always well above it, so a greedy run never ends by
// itself and sampled runs almost never do. The tokenizer is the demo model's SentencePiece
// vocabulary, padded with plain word tokens to 32,000 entries. The file is written by the
// streaming writer (`writeGgufFile`): memory stays at one row block, whatever the model size.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CHAT_TEMPLATE, demoModel } from './demo-model.js';
import { FILE_TYPE, GgmlType, GgufValueType, TokenType } from './format.js';
import { rowBytes } from './quantize.js';
import { arr, bool, f32v, str, u32, writeGgufFile, type GgufStreamTensor, type GgufValue } from './writer.js';

export interface BenchShape {
  nVocab: number;
  nEmbd: number;
  nLayer: number;
  nFf: number;
  nHead: number;
  nHeadKv: number;
  contextLength: number;
}

/** The shape of issue 3's 0.84B model. */
export const BENCH_SHAPE: BenchShape = {
  nVocab: 32000,
  nEmbd: 2048,
  nLayer: 16,
  nFf: 5632,
  nHead: 32,
  nHeadKv: 4,
  contextLength: 4096,
};

export const WEIGHT_STD = 0.02;
export const DEFAULT_SEED = 20261122;
export const BENCH_TYPES = { q4_0: GgmlType.Q4_0, q8_0: GgmlType.Q8_0 } as const;
export type BenchTypeName = keyof typeof BENCH_TYPES;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_MODELS_DIR = join(root, 'bench', 'models');

export function benchModelPath(type: BenchTypeName, dir = BENCH_MODELS_DIR): string {
  return join(dir, `bench-0.8b-${type}.gguf`);
}

interface TensorShape {
  name: string;
  dims: number[];
  kind: 'weight' | 'norm' | 'output';
}

function tensorShapes(s: BenchShape): TensorShape[] {
  const headDim = s.nEmbd / s.nHead;
  const kvDim = headDim * s.nHeadKv;
  const out: TensorShape[] = [{ name: 'token_embd.weight', dims: [s.nEmbd, s.nVocab], kind: 'weight' }];
  for (let l = 0; l < s.nLayer; l++) {
    const b = `blk.${l}`;
    out.push(
      { name: `${b}.attn_norm.weight`, dims: [s.nEmbd], kind: 'norm' },
      { name: `${b}.attn_q.weight`, dims: [s.nEmbd, s.nEmbd], kind: 'weight' },
      { name: `${b}.attn_k.weight`, dims: [s.nEmbd, kvDim], kind: 'weight' },
      { name: `${b}.attn_v.weight`, dims: [s.nEmbd, kvDim], kind: 'weight' },
      { name: `${b}.attn_output.weight`, dims: [s.nEmbd, s.nEmbd], kind: 'weight' },
      { name: `${b}.ffn_norm.weight`, dims: [s.nEmbd], kind: 'norm' },
      { name: `${b}.ffn_gate.weight`, dims: [s.nEmbd, s.nFf], kind: 'weight' },
      { name: `${b}.ffn_down.weight`, dims: [s.nFf, s.nEmbd], kind: 'weight' },
      { name: `${b}.ffn_up.weight`, dims: [s.nEmbd, s.nFf], kind: 'weight' },
    );
  }
  out.push(
    { name: 'output_norm.weight', dims: [s.nEmbd], kind: 'norm' },
    { name: 'output.weight', dims: [s.nEmbd, s.nVocab], kind: 'output' },
  );
  return out;
}

export function parameterCount(s: BenchShape = BENCH_SHAPE): number {
  return tensorShapes(s).reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0);
}

/** Expected file size without metadata: what a finished file must at least hold. */
function tensorBytes(s: BenchShape, type: GgmlType): number {
  return tensorShapes(s).reduce((n, t) => {
    const rows = t.dims.slice(1).reduce((a, b) => a * b, 1);
    return n + rowBytes(t.kind === 'norm' ? GgmlType.F32 : type, t.dims[0]!) * rows;
  }, 0);
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

let normalTable: Float32Array | undefined;
/** 65,536 equiprobable normal(0, 1) values: a 16-bit draw indexes one. */
function normals(): Float32Array {
  if (!normalTable) {
    normalTable = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) normalTable[i] = normalQuantile((i + 0.5) / 65536);
  }
  return normalTable;
}

/** FNV-1a of a tensor name, mixed with the seed: each tensor's values depend on nothing else. */
function tensorSeed(name: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0 || 1;
}

/** A fill function producing normal(0, std) values from a seeded xorshift32 stream. */
function randomFill(name: string, seed: number, std: number): GgufStreamTensor['fill'] {
  let state = tensorSeed(name, seed);
  const scaled = normals().map((v) => v * std);
  return (out) => {
    let x = state;
    const n = out.length;
    for (let i = 0; i < n; i += 2) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = scaled[x & 0xffff]!;
      out[i + 1] = scaled[(x >>> 16) & 0xffff]!;
    }
    state = x;
  };
}

export function benchTokenizer(nVocab: number): { tokens: string[]; scores: number[]; types: TokenType[] } {
  const t = demoModel().design.tokenizer;
  const tokens = [...t.tokens];
  const scores = [...t.scores!];
  const types = [...t.types];
  const seen = new Set(tokens);
  for (let i = 0; tokens.length < nVocab; i++) {
    const word = `\u2581w${i.toString(36)}`;
    if (seen.has(word)) continue;
    tokens.push(word);
    scores.push(-1000 - i);
    types.push(TokenType.NORMAL);
  }
  if (tokens.length > nVocab) throw new Error(`the demo vocabulary (${tokens.length}) is larger than ${nVocab}`);
  return { tokens, scores, types };
}

export interface BenchModelOptions {
  shape?: BenchShape;
  seed?: number;
  onTensor?: (name: string, index: number, total: number) => void;
}

/** Writes the benchmark model in `type` to `path` (atomically: a temp file, then rename). */
export function writeBenchModel(path: string, type: GgmlType, options: BenchModelOptions = {}): number {
  const s = options.shape ?? BENCH_SHAPE;
  const seed = options.seed ?? DEFAULT_SEED;
  const demo = demoModel().design.tokenizer;
  const tok = benchTokenizer(s.nVocab);
  const controlRows = new Set<number>();
  tok.types.forEach((ty, i) => {
    if (ty === TokenType.CONTROL || ty === TokenType.UNKNOWN) controlRows.add(i);
  });
  const tensors: GgufStreamTensor[] = tensorShapes(s).map((t) => {
    if (t.kind === 'norm') return { name: t.name, dims: t.dims, type: GgmlType.F32, fill: (out) => out.fill(1) };
    const random = randomFill(t.name, seed, WEIGHT_STD);
    const ne0 = t.dims[0]!;
    const fill: GgufStreamTensor['fill'] =
      t.kind === 'output'
        ? (out, firstRow) => {
            random(out, firstRow);
            const rows = out.length / ne0;
            for (const r of controlRows) if (r >= firstRow && r < firstRow + rows) out.fill(0, (r - firstRow) * ne0, (r - firstRow + 1) * ne0);
          }
        : random;
    return { name: t.name, dims: t.dims, type, fill };
  });
  const headDim = s.nEmbd / s.nHead;
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', str('llama')],
    ['general.name', str(`Shotglass bench 0.8B (random weights, seed ${seed})`)],
    ['general.file_type', u32(FILE_TYPE[type])],
    ['general.quantization_version', u32(2)],
    ['llama.context_length', u32(s.contextLength)],
    ['llama.embedding_length', u32(s.nEmbd)],
    ['llama.block_count', u32(s.nLayer)],
    ['llama.feed_forward_length', u32(s.nFf)],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', f32v(10000)],
    ['llama.attention.head_count', u32(s.nHead)],
    ['llama.attention.head_count_kv', u32(s.nHeadKv)],
    ['llama.attention.layer_norm_rms_epsilon', f32v(1e-5)],
    ['llama.vocab_size', u32(s.nVocab)],
    ['tokenizer.ggml.model', str('llama')],
    ['tokenizer.ggml.tokens', arr(GgufValueType.STRING, tok.tokens)],
    ['tokenizer.ggml.scores', arr(GgufValueType.FLOAT32, tok.scores)],
    ['tokenizer.ggml.token_type', arr(GgufValueType.INT32, tok.types)],
    ['tokenizer.ggml.bos_token_id', u32(demo.bos)],
    ['tokenizer.ggml.eos_token_id', u32(demo.eos)],
    ['tokenizer.ggml.unknown_token_id', u32(demo.unk!)],
    ['tokenizer.ggml.add_bos_token', bool(true)],
    ['tokenizer.ggml.add_eos_token', bool(false)],
    ['tokenizer.ggml.add_space_prefix', bool(true)],
    ['tokenizer.chat_template', str(DEMO_CHAT_TEMPLATE)],
  ];
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.partial-${process.pid}`;
  const size = writeGgufFile(tmp, { metadata, tensors }, { onTensor: options.onTensor });
  renameSync(tmp, path);
  return size;
}

/** The benchmark model of `type`, built first if it is missing (or cut short). */
export function ensureBenchModel(typeName: BenchTypeName, options: { dir?: string; force?: boolean; log?: (line: string) => void } = {}): string {
  const path = benchModelPath(typeName, options.dir);
  const type = BENCH_TYPES[typeName];
  if (!options.force && existsSync(path) && statSync(path).size > tensorBytes(BENCH_SHAPE, type)) return path;
  const start = performance.now();
  options.log?.(`building ${path} (${(parameterCount() / 1e9).toFixed(3)}B parameters, ${typeName}) ...`);
  const size = writeBenchModel(path, type);
  options.log?.(`  ${(size / 1e6).toFixed(1)} MB in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const which = opt('--type') ?? 'all';
  const dir = opt('--out') ? resolve(opt('--out')!) : BENCH_MODELS_DIR;
  const names = which === 'all' ? (Object.keys(BENCH_TYPES) as BenchTypeName[]) : [which as BenchTypeName];
  for (const name of names) {
    if (!(name in BENCH_TYPES)) throw new Error(`--type must be q4_0, q8_0 or all, not ${name}`);
    const path = ensureBenchModel(name, { dir, force: args.includes('--force'), log: (l) => console.log(l) });
    console.log(`${name}: ${path}`);
  }
}
