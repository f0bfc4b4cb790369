// The app's backend: one implementation of the typed API, used by Electron main (over IPC),
// the browser-mode server (over HTTP/WebSocket) and the CLI (directly).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  ApiError,
  LoadOptionsSchema,
  parseInput,
  toApiError,
  type ApiHandlers,
  type ApiErrorData,
  type ApiParsedInput,
  type CompletionResult,
  type ServiceEvent,
  type Accelerator,
  type LoadOptions,
  type ModelSummary,
} from '../core/api/contract.js';
import { checkGgufFile, mayLoadAnyway } from '../node/gguf/preflight.js';
import { API_METHODS } from '../core/api/methods.js';
import type { Service, ServiceOptions, DirectApi } from './types.js';
import { FileHashCache } from './models/file-hash.js';
import { HostClient } from './inference/host-client.js';
import { createComparisons } from './runs/comparisons.js';
import { BatchWriter } from './history/batch-writer.js';
import { createDrafts } from './drafts.js';
import { createWorkspace, type FinishedRun } from './workspace.js';

interface ModelEntry {
  summary: ModelSummary;
  /** host generation the model is loaded in; stale after a host crash */
  loadedIn?: number;
  loading?: Promise<ModelSummary>;
  /** what the last load asked for; an automatic reload asks for the same */
  options: LoadOptions;
  skipChecks: boolean;
}

interface RunEntry {
  modelId: string;
  cancelled: boolean;
  /** the run has reached the host (cancel must be forwarded) */
  inHost: boolean;
}

export function modelIdFor(path: string): string {
  return 'm-' + createHash('sha256').update(path).digest('hex').slice(0, 16);
}

export function createService(options: ServiceOptions): Service {
  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent) => {
    for (const listener of listeners) listener(event);
  };
  const models = new Map<string, ModelEntry>();
  const runs = new Map<string, RunEntry>();
  const hashes = new FileHashCache(options.dataDir ? join(options.dataDir, 'model-hashes.json') : undefined);
  const workspace = createWorkspace(options.dataDir, (event) => emit(event));
  // Finished runs reach the history in batches, off the path of the other runs' streaming events.
  const historyWrites = new BatchWriter((finished: FinishedRun[]) => workspace.recordRuns(finished));
  let demoModelId: string | null = null;
  let requestedAccelerator: Accelerator = options.backend ?? 'auto';

  const updateModel = (entry: ModelEntry, patch: Partial<ModelSummary>) => {
    entry.summary = { ...entry.summary, ...patch };
    emit({ type: 'model', model: entry.summary });
  };

  const host = new HostClient(
    options.spawnHost,
    (event) => {
      if (event.type === 'token') {
        emit({ type: 'run.delta', runId: event.runId, text: event.text, tokens: event.steps.length, steps: event.steps });
      } else if (event.type === 'runState') {
        emit({ type: 'run.state', runId: event.runId, state: event.state });
      } else if (event.type === 'loadProgress') {
        const entry = models.get(event.key);
        if (entry?.summary.state === 'loading') updateModel(entry, { loadProgress: event.progress });
      }
    },
    (status) => {
      if (status.status === 'crashed' || status.status === 'stopped') {
        // Everything the dead process held is gone; models reload on their next use.
        for (const entry of models.values()) {
          if (entry.summary.state === 'loaded') {
            entry.loadedIn = undefined;
            updateModel(entry, { state: 'unloaded', loadProgress: undefined, contextSize: undefined });
          }
        }
      }
      emit({ type: 'host', status: status.status, message: 'message' in status ? status.message : undefined });
    },
    options.hangTimeoutMs,
  );

  const register = (path: string, isDemo = false): ModelEntry => {
    const id = modelIdFor(path);
    let entry = models.get(id);
    if (!entry) {
      entry = {
        summary: { id, path, fileName: basename(path), sizeBytes: 0, state: 'unloaded', isDemo, adapters: [] },
        options: LoadOptionsSchema.parse({}),
        skipChecks: false,
      };
      models.set(id, entry);
    }
    return entry;
  };

  if (options.demoModelPath && existsSync(options.demoModelPath)) {
    const entry = register(resolve(options.demoModelPath), true);
    demoModelId = entry.summary.id;
    checkGgufFile(entry.summary.path).then((size) => (entry.summary.sizeBytes = size), () => {});
  }

  const entryFor = (modelId: string): ModelEntry => {
    const entry = models.get(modelId);
    if (!entry) throw new ApiError('not-found', 'no such model; open its file first');
    return entry;
  };

  const ensureLoaded = (entry: ModelEntry): Promise<ModelSummary> => {
    if (entry.loadedIn === host.generation && entry.summary.state === 'loaded') return Promise.resolve(entry.summary);
    entry.loading ??= (async () => {
      updateModel(entry, { state: 'loading', loadProgress: 0, error: undefined, loadAnyway: undefined, loadOptions: entry.options });
      // The record of every run names the file's hash: compute it while the model loads.
      void hashes.sha256(entry.summary.path).catch(() => undefined);
      try {
        const { contextSize } = await host.call('loadModel', {
          key: entry.summary.id,
          path: entry.summary.path,
          skipChecks: entry.skipChecks,
          options: entry.options,
          adapters: entry.summary.adapters,
        });
        entry.loadedIn = host.generation;
        updateModel(entry, { state: 'loaded', loadProgress: 1, contextSize });
        return entry.summary;
      } catch (error) {
        const data = toApiError(error);
        const message = `Could not load ${entry.summary.fileName}: ${data.message}`;
        updateModel(entry, { state: 'error', loadProgress: undefined, error: message, loadAnyway: !entry.skipChecks && mayLoadAnyway(data.message) });
        throw new ApiError(data.code === 'host-crashed' ? 'host-crashed' : 'model-error', message);
      } finally {
        entry.loading = undefined;
      }
    })();
    return entry.loading;
  };

  const runCompletion = async (
    runId: string,
    entry: ModelEntry,
    request: ApiParsedInput<'startCompletion'>,
    group?: { groupId: string; variant: string },
  ): Promise<{ result?: CompletionResult; historyId?: string; error?: ApiErrorData }> => {
    const run = runs.get(runId)!;
    try {
      await ensureLoaded(entry);
      const modelSha256 = await hashes.sha256(entry.summary.path);
      const adapters = await Promise.all(
        entry.summary.adapters.map(async (a) => ({ fileName: basename(a.path), sha256: await hashes.sha256(a.path), scale: a.scale })),
      );
      if (run.cancelled) throw new ApiError('cancelled', 'stopped before it started');
      run.inHost = true;
      const result = await host.call('complete', {
        runId,
        key: entry.summary.id,
        input: request.input ?? { mode: 'completion', text: request.prompt ?? '' },
        sampling: request.sampling,
        topProbabilities: request.topProbabilities,
        constraint: request.constraint,
        templateHash: request.templateHash,
        modelSha256,
        modelSizeBytes: entry.summary.sizeBytes,
        adapters,
        prefix: request.prefix,
      });
      emit({ type: 'run.end', runId, result });
      if (!request.ephemeral) {
        try {
          const historyId = await historyWrites.add({
            modelPath: entry.summary.path,
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
        data.code === 'host-crashed' && run.inHost ? `The run was interrupted: ${data.message}` : data.message;
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
    modelExists: (modelId) => void entryFor(modelId),
    start: (request, group) => {
      const entry = entryFor(request.modelId);
      refuseIfHistoryDamaged(request.ephemeral);
      const runId = randomUUID();
      runs.set(runId, { modelId: request.modelId, cancelled: false, inHost: false });
      return { runId, done: runCompletion(runId, entry, request, group) };
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
      return [...models.values()].map((m) => m.summary);
    },
    async openModel({ path }) {
      const absolute = resolve(path);
      const size = await checkGgufFile(absolute);
      if (!absolute.toLowerCase().endsWith('.gguf')) {
        throw new ApiError('invalid-argument', `${basename(absolute)} is not a .gguf file`);
      }
      const entry = register(absolute);
      entry.summary.sizeBytes = size;
      emit({ type: 'model', model: entry.summary });
      return entry.summary;
    },
    async pickModelFile() {
      if (!options.pickModelFile) return { supported: false, path: null };
      return { supported: true, path: await options.pickModelFile() };
    },
    async loadModel({ modelId, skipChecks, options: loadOptions }) {
      const entry = entryFor(modelId);
      const changed = JSON.stringify(loadOptions) !== JSON.stringify(entry.options) || skipChecks !== entry.skipChecks;
      if (changed && entry.loadedIn === host.generation) {
        // New placement or context settings: reload with them.
        if (entry.loading) await entry.loading.catch(() => {});
        await host.call('unloadModel', { key: modelId });
        entry.loadedIn = undefined;
        updateModel(entry, { state: 'unloaded' });
      }
      entry.options = loadOptions;
      entry.skipChecks = skipChecks;
      return ensureLoaded(entry);
    },
    async setAdapters({ modelId, adapters }) {
      const entry = entryFor(modelId);
      const resolved = adapters.map((a) => ({ ...a, path: resolve(a.path) }));
      // Every file is checked (a regular file with the GGUF magic) before the model is touched.
      for (const a of resolved) await checkGgufFile(a.path);
      if (entry.loading) await entry.loading.catch(() => {});
      if (entry.loadedIn === host.generation && entry.summary.state === 'loaded') {
        await host.call('setAdapters', { key: modelId, adapters: resolved });
      }
      updateModel(entry, { adapters: resolved });
      return entry.summary;
    },
    async inspectModel({ path, contextSize, gpuLayers, sequences }) {
      return host.call('inspect', { path: resolve(path), placement: { contextSize, gpuLayers, sequences } });
    },
    async renderPrompt({ modelId, input }) {
      await ensureLoaded(entryFor(modelId));
      return host.call('render', { key: modelId, input });
    },
    async getSystemInfo() {
      return host.call('systemInfo', {});
    },
    async setAccelerator({ backend }) {
      const previous = requestedAccelerator;
      requestedAccelerator = backend;
      host.backend = backend;
      await host.restart();
      try {
        return await host.call('systemInfo', {});
      } catch (error) {
        // The machine lacks it: go back to what worked, and say why.
        requestedAccelerator = previous;
        host.backend = previous;
        await host.restart();
        throw error;
      }
    },
    async unloadModel({ modelId }) {
      const entry = entryFor(modelId);
      if (entry.loading) await entry.loading.catch(() => {});
      if (entry.loadedIn === host.generation) await host.call('unloadModel', { key: modelId });
      entry.loadedIn = undefined;
      updateModel(entry, { state: 'unloaded', loadProgress: undefined, contextSize: undefined, error: undefined });
      return entry.summary;
    },
    async startCompletion(request) {
      const entry = entryFor(request.modelId);
      refuseIfHistoryDamaged(request.ephemeral);
      const runId = randomUUID();
      runs.set(runId, { modelId: request.modelId, cancelled: false, inHost: false });
      void runCompletion(runId, entry, request);
      return { runId };
    },
    async scoreTokens({ modelId, input, prefix, candidates, temperature, topK, topP, minP }) {
      await ensureLoaded(entryFor(modelId));
      return host.call('score', { key: modelId, input, prefix, candidates, temperature, topK, topP, minP });
    },
    ...comparisons.handlers,
    async cancelRun({ runId }) {
      const run = runs.get(runId);
      if (!run) return { cancelled: false };
      run.cancelled = true;
      // Stop stops within a second: a host that cannot even take the cancel is stuck, and restarted.
      if (run.inHost) {
        await host
          .callWithin('cancel', { runId }, 1000, { cancelled: true }, 'it did not take Stop within a second')
          .catch(() => undefined);
      }
      return { cancelled: true };
    },
    async tokenize({ modelId, text }) {
      await ensureLoaded(entryFor(modelId));
      return host.call('tokenize', { key: modelId, text });
    },
    async detokenize({ modelId, ids }) {
      await ensureLoaded(entryFor(modelId));
      return host.call('detokenize', { key: modelId, ids });
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
      host.dispose();
      historyWrites.flush();
      workspace.close();
      listeners.clear();
    },
    host,
  };
}
