// The service a command runs on (the same as the app's, in this process), and the steps most
// commands share: open and load the model, read a template, plan a run from it.
import { readFileSync, statSync } from 'node:fs';
import { READ_LIMITS, readBoundedSync } from '../../node/fs/safe-file.js';
import { join } from 'node:path';
import { ApiError, AcceleratorSchema } from '../../core/api/contract.js';
import { promptTemplateCodec } from '../../core/library/prompt-codec.js';
import { prepareRun, type RunPlan, type Template } from '../../core/prompt/index.js';
import { defaultHostEntry, packageRoot, spawnNodeHost } from '../../service/inference/node-host.js';
import { parseFile } from '../../service/library/file-format.js';
import { createService } from '../../service/service.js';
import type { Service } from '../../service/types.js';
import { flashAttention, num, sampling, UsageError, variables, type Values } from './args.js';

export function startService(values: Values): Service {
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const gpu = values.gpu === undefined ? undefined : AcceleratorSchema.safeParse(values.gpu);
  if (gpu && !gpu.success) throw new UsageError(`--gpu must be one of auto, metal, cuda, vulkan, cpu`);
  return createService({
    mode: 'cli',
    spawnHost: spawnNodeHost(defaultHostEntry(root)),
    version,
    backend: gpu?.data,
  });
}

export async function openAndLoad(backend: Service, values: Values) {
  if (!values.model) throw new UsageError('--model <file.gguf> is required');
  const gpuLayers = values['gpu-layers'];
  // The CLI runs as its user, so it may say what the API does not: that a path does not exist.
  if (!statSync(values.model, { throwIfNoEntry: false })) throw new ApiError('not-found', `the file ${values.model} does not exist`);
  const model = await backend.api.openModel({ path: values.model });
  await backend.api.loadModel({
    modelId: model.id,
    skipChecks: values['skip-checks'] ?? false,
    options: {
      contextSize: num('context-size', values['context-size']),
      gpuLayers: gpuLayers === undefined || gpuLayers === 'auto' || gpuLayers === 'max' ? (gpuLayers ?? 'auto') : num('gpu-layers', gpuLayers),
      threads: num('threads', values.threads),
      batchSize: num('batch-size', values['batch-size']),
      flashAttention: flashAttention(values['flash-attention']),
      ignoreMemoryEstimate: values['ignore-memory-estimate'] ?? false,
    },
  });
  return model;
}

/** A template file: a library file (with its envelope) or a bare template, YAML or JSON. */
export function readTemplate(path: string): Template {
  let bytes: Uint8Array;
  try {
    bytes = readBoundedSync(path, READ_LIMITS.template);
  } catch (error) {
    throw new UsageError(`${path} ${(error as Error).message}`);
  }
  const parsed = parseFile(bytes, promptTemplateCodec);
  if (!parsed.ok) throw new ApiError('invalid-argument', `${path} ${parsed.reason}`);
  return parsed.template;
}

export function plan(path: string, values: Values): RunPlan {
  const prepared = prepareRun(readTemplate(path), variables(values), { samplingOverrides: sampling(values) as never });
  if (!prepared.ok) throw new ApiError('invalid-argument', prepared.error);
  return prepared.plan;
}

export async function withService(values: Values, work: (backend: Service) => Promise<number>): Promise<number> {
  const backend = startService(values);
  try {
    return await work(backend);
  } finally {
    await backend.dispose();
  }
}

