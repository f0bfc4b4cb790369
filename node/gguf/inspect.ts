// What a GGUF file is and what loading it would cost, read from its header alone.
import { freemem } from 'node:os';
import type { GgufFileInfo, Llama } from 'node-llama-cpp';
import type { MemoryEstimate, ModelInfo } from '../../core/api/contract.js';
import { flattenMetadata } from './preflight.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

/** llama.cpp's general.file_type values. */
const FILE_TYPES: Record<number, string> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1', 10: 'Q2_K', 11: 'Q3_K_S', 12: 'Q3_K_M',
  13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M', 18: 'Q6_K', 19: 'IQ2_XXS', 20: 'IQ2_XS',
  21: 'Q2_K_S', 22: 'IQ3_XS', 23: 'IQ3_XXS', 24: 'IQ1_S', 25: 'IQ4_NL', 26: 'IQ3_S', 27: 'IQ3_M', 28: 'IQ2_S',
  29: 'IQ2_M', 30: 'IQ4_XS', 31: 'IQ1_M', 32: 'BF16', 36: 'TQ1_0', 37: 'TQ2_0', 38: 'MXFP4',
};

export function quantizationName(fileType: unknown): string {
  return typeof fileType === 'number' ? (FILE_TYPES[fileType] ?? `file type ${fileType}`) : 'unknown';
}

export interface Placement {
  contextSize?: number;
  gpuLayers: 'auto' | 'max' | number;
  sequences: number;
}

export const DEFAULT_CONTEXT = 4096;

export async function inspectModel(
  lib: NodeLlamaCpp,
  llama: Llama,
  path: string,
  sizeBytes: number,
  info: GgufFileInfo,
  placement: Placement,
): Promise<ModelInfo> {
  const meta = flattenMetadata(info.metadata as unknown as Record<string, unknown>);
  const arch = String(meta['general.architecture'] ?? 'unknown');
  const insights = await lib.GgufInsights.from(info, llama);
  const tokens = (meta['tokenizer.ggml.tokens'] as string[] | undefined) ?? [];
  const tokenAt = (key: string) => {
    const id = meta[key];
    return typeof id === 'number' && tokens[id] !== undefined ? { id, text: tokens[id]! } : null;
  };
  const contextLength = insights.trainContextSize ?? null;
  const memory = await estimateMemory(llama, insights, placement, contextLength);
  const template = meta['tokenizer.chat_template'];
  return {
    path,
    fileName: path.split(/[\\/]/).pop() ?? path,
    sizeBytes,
    architecture: arch,
    name: typeof meta['general.name'] === 'string' ? (meta['general.name'] as string) : null,
    parameters: insights.totalParameters,
    quantization: quantizationName(meta['general.file_type']),
    contextLength,
    // block_count: GgufInsights' totalLayers also counts the output layer.
    layers: Number(meta[`${arch}.block_count`] ?? insights.totalLayers),
    embeddingLength: insights.embeddingVectorSize ?? null,
    vocabularySize: tokens.length,
    tokenizer: String(meta['tokenizer.ggml.model'] ?? 'unknown'),
    bos: tokenAt('tokenizer.ggml.bos_token_id'),
    eos: tokenAt('tokenizer.ggml.eos_token_id'),
    chatTemplate: typeof template === 'string' ? template : null,
    memory,
    warnings: insights.getWarnings(path),
  };
}

export async function estimateMemory(
  llama: Llama,
  insights: Awaited<ReturnType<NodeLlamaCpp['GgufInsights']['from']>>,
  placement: Placement,
  trainContext: number | null,
): Promise<MemoryEstimate> {
  const vram = await llama.getVramState();
  const gpuLayers =
    !llama.supportsGpuOffloading || placement.gpuLayers === 0
      ? 0
      : placement.gpuLayers === 'auto' || placement.gpuLayers === 'max'
        ? insights.totalLayers
        : Math.min(placement.gpuLayers, insights.totalLayers);
  const contextSize = placement.contextSize ?? Math.min(trainContext ?? DEFAULT_CONTEXT, DEFAULT_CONTEXT);
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize,
    modelGpuLayers: gpuLayers,
    sequences: placement.sequences,
  });
  const freeRam = freemem();
  const freeVram = vram.free;
  // With mmap the weights are paged in from the file and do not all need free RAM at once, but
  // a model that does not fit will thrash; count them.
  const fits = model.cpuRam + context.cpuRam <= freeRam && model.gpuVram + context.gpuVram <= freeVram;
  return {
    modelRam: model.cpuRam,
    modelVram: model.gpuVram,
    contextRam: context.cpuRam,
    contextVram: context.gpuVram,
    freeRam,
    freeVram,
    fits,
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(n < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}
