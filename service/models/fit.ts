// Memory fit of a GGUF model, from its header alone: read locally, or from a remote file with
// HTTP range requests (node-llama-cpp's readGgufFileInfo reads only the header's bytes). The
// numbers come from the same code the inference host uses before a load (node/gguf/inspect.ts's
// estimateMemory over GgufInsights), so the estimate before a download is the one after it.
import type { GgufFileInfo, Llama } from 'node-llama-cpp';
import { classifyFit, type Fit } from '../../core/models/fit.js';
import { DEFAULT_CONTEXT, estimateMemory } from '../../node/gguf/inspect.js';
import { checkGgufStructure, splitParts } from '../../node/gguf/structure.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

let lib: Promise<NodeLlamaCpp> | undefined;
/** node-llama-cpp is ESM-only and never bundled: loaded when first needed. */
export const nodeLlamaCpp = (): Promise<NodeLlamaCpp> => (lib ??= import('node-llama-cpp'));

let sharedLlama: Promise<Llama> | undefined;
/**
 * A llama.cpp binding for estimates in this process (no model is loaded here). SHOTGLASS_GPU=cpu
 * forces the CPU, as it does for the inference host.
 */
export function estimateLlama(env: NodeJS.ProcessEnv = process.env): Promise<Llama> {
  sharedLlama ??= nodeLlamaCpp().then((l) =>
    l.getLlama({ gpu: env.SHOTGLASS_GPU === 'cpu' ? false : 'auto', build: 'never', logLevel: l.LlamaLogLevel.error }),
  );
  return sharedLlama;
}

export interface FitRequest {
  /** Context size to plan for; default min(trained context, 4096) as the load does. */
  contextSize?: number;
  gpuLayers?: 'auto' | 'max' | number;
  sequences?: number;
}

export interface FitEstimate extends Fit {
  contextSize: number;
  /** The weights' and the context's shares at the chosen GPU layers. */
  modelRam: number;
  modelVram: number;
  contextRam: number;
  contextVram: number;
}

export async function estimateFit(info: GgufFileInfo, llama: Llama, request: FitRequest = {}): Promise<FitEstimate> {
  const l = await nodeLlamaCpp();
  const insights = await l.GgufInsights.from(info, llama);
  const trainContext = insights.trainContextSize ?? null;
  const contextSize = request.contextSize ?? Math.min(trainContext ?? DEFAULT_CONTEXT, DEFAULT_CONTEXT);
  const vram = await llama.getVramState();
  const byLayers = new Map<number, Awaited<ReturnType<typeof estimateMemory>>>();
  const estimate = async (gpuLayers: number) => {
    const m = await estimateMemory(llama, insights, { contextSize, gpuLayers, sequences: request.sequences ?? 1 }, trainContext);
    byLayers.set(gpuLayers, m);
    return { ram: m.modelRam + m.contextRam, vram: m.modelVram + m.contextVram, freeRam: m.freeRam };
  };
  const probe = await estimate(0);
  const fit = await classifyFit({
    totalLayers: insights.totalLayers,
    hasGpu: llama.supportsGpuOffloading && vram.total > 0,
    freeRam: probe.freeRam,
    freeVram: vram.free,
    gpuLayers: request.gpuLayers ?? 'auto',
    estimate,
  });
  const chosen = byLayers.get(fit.gpuLayers)!;
  return {
    ...fit,
    contextSize,
    modelRam: chosen.modelRam,
    modelVram: chosen.modelVram,
    contextRam: chosen.contextRam,
    contextVram: chosen.contextVram,
  };
}

export interface RemoteHeaderOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The header of a remote GGUF file (all parts' headers for a split model), read with Range
 * requests. Follows the Hub's redirect to its storage like any download.
 */
export async function readRemoteHeader(url: string, options: RemoteHeaderOptions = {}): Promise<GgufFileInfo> {
  const l = await nodeLlamaCpp();
  return l.readGgufFileInfo(url, {
    sourceType: 'network',
    fetchHeaders: options.headers ?? {},
    logWarnings: false,
    fetchRetryOptions: { retries: 4, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** The fit of a resolved Hub model before downloading it (all parts of a split one). */
export async function remoteFit(
  model: { urls: string[] },
  headers: Record<string, string>,
  llama: Llama,
  request: FitRequest = {},
  signal?: AbortSignal,
): Promise<FitEstimate> {
  return estimateFit(await readRemoteHeader(model.urls[0]!, { headers, ...(signal ? { signal } : {}) }), llama, request);
}

export async function readLocalHeader(path: string): Promise<GgufFileInfo> {
  // A header whose counts overrun the file would keep the parser reading zeros (node/gguf/structure.ts).
  for (const part of splitParts(path)) await checkGgufStructure(part);
  const l = await nodeLlamaCpp();
  return l.readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false });
}
