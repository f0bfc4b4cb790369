// The service: one implementation of the typed API, used by Electron main (over IPC), the
// browser-mode server (over HTTP/WebSocket) and the CLI (directly). Models are run by their
// provider (providers/): runs and comparisons never speak to the inference process themselves.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  ApiError,
  parseInput,
  toApiError,
  type ApiHandlers,
  type ApiErrorData,
  type ApiParsedInput,
  type CompletionResult,
  type ServiceEvent,
} from '../core/api/contract.js';
import { checkGgufFile } from '../node/gguf/preflight.js';
import { API_METHODS } from '../core/api/methods.js';
import type { Service, ServiceOptions, DirectApi } from './types.js';
import { ModelRegistry } from './models/registry.js';
import { LocalProvider } from './providers/local.js';
import type { ModelProvider } from './providers/provider.js';
import { createComparisons } from './runs/comparisons.js';
import { removeStaleTemps } from './fs/atomic.js';
import { BatchWriter } from './history/batch-writer.js';
import { createDrafts } from './drafts.js';
import { createWorkspace, type FinishedRun } from './workspace.js';

interface RunEntry {
  provider: ModelProvider;
  cancelled: boolean;
  /** the run has reached its provider (cancel must be forwarded) */
  started: boolean;
}

export function createService(options: ServiceOptions): Service {
  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent) => {
    for (const listener of listeners) listener(event);
  };
  const runs = new Map<string, RunEntry>();
  const workspace = createWorkspace(options.dataDir, (event) => emit(event));
  // Finished runs reach the history in batches, off the path of the other runs' streaming events.
  const historyWrites = new BatchWriter((finished: FinishedRun[]) => workspace.recordRuns(finished));
  let demoModelId: string | null = null;

  // Temp files a crash left in the data folder (the library cleans its own folder when it scans).
  if (options.dataDir) for (const dir of [options.dataDir, join(options.dataDir, 'drafts')]) void removeStaleTemps(dir);

  const models = new ModelRegistry((model) => emit({ type: 'model', model }));
  const local = new LocalProvider({
    spawnHost: options.spawnHost,
    accelerator: options.backend,
    hashCacheFile: options.dataDir ? join(options.dataDir, 'model-hashes.json') : undefined,
    hangTimeoutMs: options.hangTimeoutMs,
    models,
    onStream: (event) =>
      emit(
        event.type === 'delta'
          ? { type: 'run.delta', runId: event.runId, text: event.text, tokens: event.steps.length, steps: event.steps }
          : { type: 'run.state', runId: event.runId, state: event.state },
      ),
    onHostStatus: (status) => emit({ type: 'host', status: status.status, message: 'message' in status ? status.message : undefined }),
  });
  /** Every model is a local GGUF today; a remote endpoint's models get their own provider. */
  const providerFor = (modelId: string): ModelProvider => {
    models.get(modelId);
    return local;
  };

  if (options.demoModelPath && existsSync(options.demoModelPath)) {
    const demo = models.register(resolve(options.demoModelPath), true);
    demoModelId = demo.id;
    checkGgufFile(demo.path).then((sizeBytes) => models.update(demo.id, { sizeBytes }), () => {});
  }

  const runCompletion = async (
    runId: string,
    request: ApiParsedInput<'startCompletion'>,
    group?: { groupId: string; variant: string },
  ): Promise<{ result?: CompletionResult; historyId?: string; error?: ApiErrorData }> => {
    const run = runs.get(runId)!;
    try {
      const input = request.input ?? { mode: 'completion' as const, text: request.prompt ?? '' };
      const result = await run.provider.complete(
        request.modelId,
        {
          runId,
          input,
          sampling: request.sampling,
          topProbabilities: request.topProbabilities,
          constraint: request.constraint,
          templateHash: request.templateHash,
          prefix: request.prefix,
        },
        // The last moment to stop before the provider starts; from here on a cancel goes to it.
        () => {
          run.started = !run.cancelled;
          return run.cancelled;
        },
      );
      emit({ type: 'run.end', runId, result });
      if (!request.ephemeral) {
        try {
          const historyId = await historyWrites.add({
            modelPath: models.get(request.modelId).path,
            input: request.input ?? { mode: 'completion', text: request.prompt ?? '' },
            result,
            templateId: request.templateId,
            templateVersion: request.templateVersion,
            templateHash: request.templateHash,
            group,
          });
          if (historyId) emit({ type: 'history', runId, historyId });
          return { result, historyId };
        } catch (error) {
          // The run itself succeeded; say that it could not be kept, without failing it.
          emit({ type: 'history', runId, error: `the run could not be saved in the history: ${toApiError(error).message}` });
        }
      }
      return { result };
    } catch (error) {
      const data = toApiError(error);
      const message =
        data.code === 'host-crashed' && run.started ? `The run was interrupted: ${data.message}` : data.message;
      emit({ type: 'run.error', runId, error: { code: data.code, message } });
      return { error: { code: data.code, message } };
    } finally {
      runs.delete(runId);
    }
  };

  /** A damaged history takes no more runs (each would be lost, or worse, written into it). */
  const refuseIfHistoryDamaged = (ephemeral: boolean) => {
    const problem = ephemeral ? undefined : workspace.historyProblem();
    if (problem) {
      throw new ApiError('internal', `${problem} Until then, runs are refused (an ephemeral run, kept out of the history, still works).`);
    }
  };

  const comparisons = createComparisons({
    workspace,
    modelExists: (modelId) => void models.get(modelId),
    start: (request, group) => {
      const provider = providerFor(request.modelId);
      refuseIfHistoryDamaged(request.ephemeral);
      const runId = randomUUID();
      runs.set(runId, { provider, cancelled: false, started: false });
      return { runId, done: runCompletion(runId, request, group) };
    },
    cancel: (runId) => handlers.cancelRun({ runId }).then((r) => r.cancelled),
  });

  const handlers: ApiHandlers = {
    ...workspace.handlers,
    ...createDrafts(options.dataDir),
    async getAppInfo() {
      return { version: options.version, mode: options.mode === 'electron' ? 'electron' : 'browser', platform: process.platform, demoModelId };
    },
    async listModels() {
      return models.list();
    },
    async openModel({ path }) {
      const absolute = resolve(path);
      const sizeBytes = await checkGgufFile(absolute);
      if (!absolute.toLowerCase().endsWith('.gguf')) {
        throw new ApiError('invalid-argument', `${basename(absolute)} is not a .gguf file`);
      }
      return models.update(models.register(absolute).id, { sizeBytes });
    },
    async pickModelFile() {
      if (!options.pickModelFile) return { supported: false, path: null };
      return { supported: true, path: await options.pickModelFile() };
    },
    // Loading, placement, adapters and the accelerator are the local inference process's.
    async loadModel({ modelId, skipChecks, options: loadOptions }) {
      models.get(modelId);
      return local.load(modelId, loadOptions, skipChecks);
    },
    async setAdapters({ modelId, adapters }) {
      models.get(modelId);
      return local.setAdapters(modelId, adapters);
    },
    async inspectModel({ path, contextSize, gpuLayers, sequences }) {
      return local.inspect(path, { contextSize, gpuLayers, sequences });
    },
    async renderPrompt({ modelId, input }) {
      return providerFor(modelId).render(modelId, input);
    },
    async getSystemInfo() {
      return local.systemInfo();
    },
    async setAccelerator({ backend }) {
      return local.setAccelerator(backend);
    },
    async unloadModel({ modelId }) {
      models.get(modelId);
      return local.unload(modelId);
    },
    async startCompletion(request) {
      const provider = providerFor(request.modelId);
      refuseIfHistoryDamaged(request.ephemeral);
      const runId = randomUUID();
      runs.set(runId, { provider, cancelled: false, started: false });
      void runCompletion(runId, request);
      return { runId };
    },
    async scoreTokens({ modelId, input, prefix, candidates, temperature, topK, topP, minP }) {
      return providerFor(modelId).score(modelId, { input, prefix, candidates, temperature, topK, topP, minP });
    },
    ...comparisons.handlers,
    async cancelRun({ runId }) {
      const run = runs.get(runId);
      if (!run) return { cancelled: false };
      run.cancelled = true;
      if (run.started) await run.provider.cancel(runId);
      return { cancelled: true };
    },
    async tokenize({ modelId, text }) {
      return providerFor(modelId).tokenize(modelId, text);
    },
    async detokenize({ modelId, ids }) {
      return providerFor(modelId).detokenize(modelId, ids);
    },
  };

  const api = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (input: unknown) => (handlers[method] as (i: unknown) => Promise<unknown>)(parseInput(method, input)),
    ]),
  ) as DirectApi;

  return {
    handlers,
    api,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      local.dispose();
      historyWrites.flush();
      workspace.close();
      listeners.clear();
    },
    host: local.process,
  };
}
