// Builds a llama-architecture GGUF whose next-token distribution is designed, not trained.
//
// Every attention and feed-forward weight is zero, so each block adds nothing to the residual
// stream; the embedding of a token is a scaled one-hot vector naming its "state"; the output
// norm maps it to exactly one unit vector; the output matrix holds the designed logits of each
// state. The model therefore computes logits(next | sequence) = design[state(last token)].
import { FILE_TYPE, GgmlType, GgufValueType, TokenType } from './format.js';
import { decodeTensor, encodeTensor } from './quantize.js';
import { arr, bool, f32v, str, u32, writeGguf, type GgufFile, type GgufTensor, type GgufValue } from './writer.js';

export const RMS_EPS = 1e-5;

export interface TokenizerSpec {
  kind: 'llama' | 'gpt2';
  tokens: string[];
  scores?: number[];
  types: TokenType[];
  merges?: string[];
  pre?: string;
  bos: number;
  eos: number;
  unk?: number;
  addBos: boolean;
  addSpacePrefix?: boolean;
}

export interface ModelDesign {
  name: string;
  tokenizer: TokenizerSpec;
  /** state index (0 .. states-1) of each token id */
  stateOf: Int32Array;
  /** logits[state] has one entry per token */
  logits: Float32Array[];
  contextLength: number;
  chatTemplate?: string;
}

export interface BuildOptions {
  type?: GgmlType;
  /** Keys to leave out (deliberately broken fixtures). */
  omitKeys?: string[];
  /** Tensor edits (deliberately broken fixtures). */
  editTensors?: (tensors: GgufTensor[]) => void;
  /** Transformer blocks (all zero, so the design is unchanged); default 1. */
  blocks?: number;
}

const HEADS = 4;
const FF = 32;

/** The residual width: enough one-hot slots for every state, rounded for quantized rows. */
export function embeddingLength(states: number): number {
  return Math.max(64, Math.ceil(states / 32) * 32);
}

/** The value the one-hot embedding holds so that RMS norm maps it to 1/sqrt(1+eps). */
export function oneHotValue(nEmbd: number): number {
  return Math.sqrt(nEmbd);
}

export function buildLlamaGguf(design: ModelDesign, options: BuildOptions = {}): Uint8Array {
  const type = options.type ?? GgmlType.F32;
  const nVocab = design.tokenizer.tokens.length;
  const nStates = design.logits.length;
  const nEmbd = embeddingLength(nStates);
  const c = oneHotValue(nEmbd);
  const tokenEmbd = new Float32Array(nVocab * nEmbd);
  for (let t = 0; t < nVocab; t++) tokenEmbd[t * nEmbd + design.stateOf[t]!] = c;
  const output = outputMatrix(design);
  const ones = new Float32Array(nEmbd).fill(1);

  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab], type, values: tokenEmbd },
    { name: 'output_norm.weight', dims: [nEmbd], type: GgmlType.F32, values: ones },
    { name: 'output.weight', dims: [nEmbd, nVocab], type, values: output },
    ...Array.from({ length: options.blocks ?? 1 }, (_, i) => blockTensors(i, nEmbd, type)).flat(),
  ];
  options.editTensors?.(tensors);

  const tok = design.tokenizer;
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', str('llama')],
    ['general.name', str(design.name)],
    ['general.file_type', u32(FILE_TYPE[type])],
    ['general.quantization_version', u32(2)],
    ['llama.context_length', u32(design.contextLength)],
    ['llama.embedding_length', u32(nEmbd)],
    ['llama.block_count', u32(options.blocks ?? 1)],
    ['llama.feed_forward_length', u32(FF)],
    ['llama.rope.dimension_count', u32(nEmbd / HEADS)],
    ['llama.attention.head_count', u32(HEADS)],
    ['llama.attention.head_count_kv', u32(HEADS)],
    ['llama.attention.layer_norm_rms_epsilon', f32v(RMS_EPS)],
    ['llama.vocab_size', u32(nVocab)],
    ['tokenizer.ggml.model', str(tok.kind)],
    ...(tok.pre ? ([['tokenizer.ggml.pre', str(tok.pre)]] as Array<[string, GgufValue]>) : []),
    ['tokenizer.ggml.tokens', arr(GgufValueType.STRING, tok.tokens)],
    ...(tok.scores ? ([['tokenizer.ggml.scores', arr(GgufValueType.FLOAT32, tok.scores)]] as Array<[string, GgufValue]>) : []),
    ['tokenizer.ggml.token_type', arr(GgufValueType.INT32, tok.types)],
    ...(tok.merges ? ([['tokenizer.ggml.merges', arr(GgufValueType.STRING, tok.merges)]] as Array<[string, GgufValue]>) : []),
    ['tokenizer.ggml.bos_token_id', u32(tok.bos)],
    ['tokenizer.ggml.eos_token_id', u32(tok.eos)],
    ...(tok.unk !== undefined ? ([['tokenizer.ggml.unknown_token_id', u32(tok.unk)]] as Array<[string, GgufValue]>) : []),
    ['tokenizer.ggml.add_bos_token', bool(tok.addBos)],
    ['tokenizer.ggml.add_eos_token', bool(false)],
    ...(tok.addSpacePrefix !== undefined
      ? ([['tokenizer.ggml.add_space_prefix', bool(tok.addSpacePrefix)]] as Array<[string, GgufValue]>)
      : []),
    ...(design.chatTemplate ? ([['tokenizer.chat_template', str(design.chatTemplate)]] as Array<[string, GgufValue]>) : []),
  ];
  const omit = new Set(options.omitKeys ?? []);
  const file: GgufFile = { metadata: metadata.filter(([k]) => !omit.has(k)), tensors };
  return writeGguf(file);
}

/** What the output norm makes of a one-hot embedding: c / sqrt(c^2/n + eps) = c / sqrt(1 + eps). */
function normedValue(nEmbd: number): number {
  return oneHotValue(nEmbd) / Math.sqrt(1 + Math.fround(RMS_EPS));
}

/** output.weight: row t holds, for each state s, the logit of token t after s (scaled by the norm). */
function outputMatrix(design: ModelDesign): Float32Array {
  const nVocab = design.tokenizer.tokens.length;
  const nEmbd = embeddingLength(design.logits.length);
  const normed = normedValue(nEmbd);
  const output = new Float32Array(nVocab * nEmbd);
  design.logits.forEach((row, s) => {
    for (let t = 0; t < nVocab; t++) output[t * nEmbd + s] = row[t]! / normed;
  });
  return output;
}

/**
 * The design as a file of tensor type `type` really holds it: logits read back from the
 * quantized output matrix. llama.cpp's greedy choices on that file follow these, not the ideal.
 */
export function storedDesign(design: ModelDesign, type: GgmlType): ModelDesign {
  const nVocab = design.tokenizer.tokens.length;
  const nEmbd = embeddingLength(design.logits.length);
  const normed = normedValue(nEmbd);
  const stored = decodeTensor(encodeTensor(outputMatrix(design), type, nEmbd), type, nVocab * nEmbd);
  const logits = design.logits.map((_, s) => {
    const row = new Float32Array(nVocab);
    for (let t = 0; t < nVocab; t++) row[t] = stored[t * nEmbd + s]! * normed;
    return row;
  });
  return { ...design, logits };
}

/** One transformer block whose every weight is zero: it adds nothing to the residual stream. */
function blockTensors(i: number, nEmbd: number, type: GgmlType): GgufTensor[] {
  const ones = new Float32Array(nEmbd).fill(1);
  const zeros = (n: number) => new Float32Array(n);
  return [
    { name: `blk.${i}.attn_norm.weight`, dims: [nEmbd], type: GgmlType.F32, values: ones },
    { name: `blk.${i}.attn_q.weight`, dims: [nEmbd, nEmbd], type: zeroType(type), values: zeros(nEmbd * nEmbd) },
    { name: `blk.${i}.attn_k.weight`, dims: [nEmbd, nEmbd], type: zeroType(type), values: zeros(nEmbd * nEmbd) },
    { name: `blk.${i}.attn_v.weight`, dims: [nEmbd, nEmbd], type: zeroType(type), values: zeros(nEmbd * nEmbd) },
    { name: `blk.${i}.attn_output.weight`, dims: [nEmbd, nEmbd], type: zeroType(type), values: zeros(nEmbd * nEmbd) },
    { name: `blk.${i}.ffn_norm.weight`, dims: [nEmbd], type: GgmlType.F32, values: ones },
    { name: `blk.${i}.ffn_gate.weight`, dims: [nEmbd, FF], type: zeroType(type), values: zeros(nEmbd * FF) },
    { name: `blk.${i}.ffn_down.weight`, dims: [FF, nEmbd], type: zeroType(type), values: zeros(nEmbd * FF) },
    { name: `blk.${i}.ffn_up.weight`, dims: [nEmbd, FF], type: zeroType(type), values: zeros(nEmbd * FF) },
  ];
}

/** Zero matrices are exact in any type; F16 keeps the F32 demo small. */
function zeroType(type: GgmlType): GgmlType {
  return type === GgmlType.F32 ? GgmlType.F16 : type;
}

/** Softmax of a logit row at a temperature (what the model's designed distribution is). */
export function softmax(row: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]! / temperature);
  const out = new Float64Array(row.length);
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    out[i] = Math.exp(row[i]! / temperature - max);
    sum += out[i]!;
  }
  for (let i = 0; i < row.length; i++) out[i]! /= sum;
  return out;
}

