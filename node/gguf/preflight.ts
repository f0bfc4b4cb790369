// Checks a GGUF file before llama.cpp sees it. llama.cpp aborts the whole process (GGML_ASSERT)
// on some malformed files instead of returning an error; catching those here turns a crash into
// a sentence the user can act on. Users can skip this (skipChecks) for architectures we misjudge.
import { basename } from 'node:path';
import type { GgufFileInfo } from 'node-llama-cpp';
import { ApiError } from '../../core/api/contract.js';
import { readHead } from '../fs/safe-file.js';
import { checkGgufStructure, splitParts } from './structure.js';

/** Architectures whose loader needs these hyperparameters (a missing one aborts llama.cpp). */
const TRANSFORMER_ARCHS = new Set([
  'llama', 'llama4', 'mistral3', 'qwen2', 'qwen2moe', 'qwen3', 'qwen3moe', 'phi2', 'phi3', 'gemma', 'gemma2',
  'gemma3', 'granite', 'olmo', 'olmo2', 'starcoder2', 'stablelm', 'internlm2', 'exaone', 'command-r', 'cohere2',
  'deepseek', 'deepseek2', 'falcon', 'gpt2', 'bloom', 'mpt', 'baichuan', 'minicpm', 'smollm3',
]);
const REQUIRED_HPARAMS = ['context_length', 'embedding_length', 'block_count', 'feed_forward_length', 'attention.head_count'];

export type ReadGgufInfo = (path: string) => Promise<GgufFileInfo>;

export async function checkModelFile(path: string, readInfo: ReadGgufInfo): Promise<GgufFileInfo> {
  // The parser reads every part of a split model when given one: each is walked first.
  const fileSize = await checkGgufStructure(path);
  for (const part of splitParts(path)) if (part !== path) await checkGgufStructure(part);
  let info: GgufFileInfo;
  try {
    info = await readInfo(path);
  } catch (error) {
    throw new ApiError('model-error', describeReadError(error));
  }
  const raw = flattenMetadata(info.metadata as unknown as Record<string, unknown>);
  const arch = raw['general.architecture'];
  if (typeof arch !== 'string') {
    throw new ApiError('model-error', 'the file has no "general.architecture" entry, so it is not a usable model');
  }
  if (TRANSFORMER_ARCHS.has(arch)) {
    const missing = REQUIRED_HPARAMS.map((k) => `${arch}.${k}`).filter((k) => raw[k] === undefined);
    if (missing.length) {
      throw new ApiError(
        'model-error',
        `the model's metadata lacks ${missing.map((k) => `"${k}"`).join(', ')}, which llama.cpp needs ` +
          '(the file is incomplete or was written by a broken converter)',
      );
    }
  }
  for (const key of ['tokenizer.ggml.model', 'tokenizer.ggml.tokens']) {
    if (raw[key] === undefined) {
      throw new ApiError('model-error', `the model has no tokenizer ("${key}" is missing)`);
    }
  }
  checkTensorBounds(info, fileSize);
  return info;
}

/** Elements and bytes per block of the ggml tensor types whose layout is fixed. */
const GGML_BLOCKS: Record<number, [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8], 30: [1, 2],
};

/** A cut-short download is the most common broken model: name the tensor that falls off the end. */
export function checkTensorBounds(info: GgufFileInfo, fileSize: number): void {
  if (info.infoEndOffset === undefined || !info.tensorInfo) return;
  for (const tensor of info.tensorInfo) {
    const start = info.infoEndOffset + Number(tensor.offset);
    const block = GGML_BLOCKS[tensor.ggmlType];
    const elements = tensor.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    const end = block ? start + Math.ceil(elements / block[0]) * block[1] : start;
    if (end > fileSize) {
      throw new ApiError(
        'model-error',
        `tensor "${tensor.name}" lies beyond the end of the file (needs ${end} bytes, the file has ${fileSize}); ` +
          'the file is cut short or corrupt — a partial download?',
      );
    }
  }
}

/** A LoRA adapter must be a GGUF adapter file made for the base model's architecture. */
export async function checkAdapterFile(path: string, baseArchitecture: string, readInfo: ReadGgufInfo): Promise<void> {
  try {
    for (const part of splitParts(path)) await checkGgufStructure(part);
  } catch (error) {
    // "<file> is not a readable GGUF file" names it already; a damaged header says which file.
    if (error instanceof ApiError && !error.message.startsWith(basename(path))) throw new ApiError('model-error', `adapter ${basename(path)}: ${error.message}`);
    throw error;
  }
  let info: GgufFileInfo;
  try {
    info = await readInfo(path);
  } catch (error) {
    throw new ApiError('model-error', `adapter ${basename(path)}: ${describeReadError(error)}`);
  }
  const raw = flattenMetadata(info.metadata as unknown as Record<string, unknown>);
  if (raw['general.type'] !== 'adapter' || raw['adapter.type'] !== 'lora') {
    throw new ApiError('invalid-argument', `${basename(path)} is not a LoRA adapter (it is a ${String(raw['general.type'] ?? 'model')} file)`);
  }
  if (raw['general.architecture'] !== baseArchitecture) {
    throw new ApiError(
      'invalid-argument',
      `${basename(path)} is an adapter for ${String(raw['general.architecture'])} models, but this model is ${baseArchitecture}`,
    );
  }
}

/**
 * A model or adapter path must be a regular file that starts with the GGUF magic before Shotglass
 * reads anything else or reports anything about it. One message for every way it can fail
 * (missing, unreadable, a folder, a FIFO, a device, another kind of file), so the API never says
 * whether an arbitrary path exists, and never what a non-GGUF file holds. Returns the size.
 */
export async function checkGgufFile(path: string): Promise<number> {
  let result: { head: Buffer; size: number } | undefined;
  try {
    result = await readHead(path, 4);
  } catch {
    result = undefined;
  }
  if (!result || result.head.toString('latin1') !== 'GGUF') {
    throw new ApiError('model-error', `${basename(path)} is not a readable GGUF file`);
  }
  return result.size;
}

function describeReadError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const magic = /Invalid GGUF magic.*got "(.*)"/s.exec(message);
  // Never quote the bytes (the file could be anything): checkGgufFile refuses these first anyway.
  if (magic) return 'this is not a GGUF model file';
  if (/unsupported|version/i.test(message)) return 'unsupported GGUF file (a version or type this llama.cpp does not read)';
  if (/out of range|end of|RangeError|buffer/i.test(message)) {
    return 'the GGUF header is cut short; the file is incomplete or corrupt';
  }
  return 'cannot read the GGUF header; the file is damaged or not a model';
}

/**
 * Whether skipping these checks (skipChecks, "Load anyway") could help after a failure: only
 * when a readable GGUF was refused for metadata Shotglass may misjudge (an architecture it does
 * not know needs other hyperparameters). Never for a file that is not GGUF, cannot be read, is
 * cut short, or that llama.cpp itself refused.
 */
export function mayLoadAnyway(message: string): boolean {
  return /no "general\.architecture" entry|metadata lacks|has no tokenizer/.test(message);
}

/** node-llama-cpp nests metadata by dotted path; flatten it back to GGUF keys. */
export function flattenMetadata(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      flattenMetadata(v as Record<string, unknown>, key, out);
    } else {
      out[key] = v;
    }
  }
  return out;
}

/**
 * A context longer than the model was trained on degrades its output and only costs memory (999999
 * tokens on the 4096-token demo took 5 GB and 30 s): refused, naming the trained length.
 */
export function refuseBeyondTrainedContext(info: GgufFileInfo, options: { contextSize?: number }): void {
  const meta = flattenMetadata(info.metadata as unknown as Record<string, unknown>);
  const trained = meta[`${String(meta['general.architecture'])}.context_length`];
  if (typeof trained !== 'number' || options.contextSize === undefined || options.contextSize <= trained) return;
  throw new ApiError('invalid-argument', `contextSize ${options.contextSize} is beyond the ${trained} tokens this model was trained on: choose at most ${trained}`);
}
