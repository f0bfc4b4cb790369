// The app's backend: one implementation of the typed API, used by Electron main (over IPC),
// the browser-mode server (over HTTP/WebSocket) and the CLI (directly).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  ApiError,
  toApiError,
  type ApiHandlers,
  type BackendEvent,
  type ModelSummary,
  type Sampling,
} from '../api/contract.js';
import { checkReadableFile } from '../host/preflight.js';
import type { Backend, BackendOptions } from './backend-types.js';
import { HostClient } from './host-client.js';

interface ModelEntry {
  summary: ModelSummary;
  /** host generation the model is loaded in; stale after a host crash */
  loadedIn?: number;
  loading?: Promise<ModelSummary>;
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

export function createBackend(options: BackendOptions): Backend {
  const listeners = new Set<(event: BackendEvent) => void>();
  const emit = (event: BackendEvent) => {
    for (const listener of listeners) listener(event);
  };
  const models = new Map<string, ModelEntry>();
  const runs = new Map<string, RunEntry>();
  let demoModelId: string | null = null;

  const updateModel = (entry: ModelEntry, patch: Partial<ModelSummary>) => {
    entry.summary = { ...entry.summary, ...patch };
    emit({ type: 'model', model: entry.summary });
  };

  const host = new HostClient(
    options.spawnHost,
    (event) => {
      if (event.type === 'token') {
        emit({ type: 'run.delta', runId: event.runId, text: event.text, tokens: event.tokens.length });
      } else if (event.type === 'loadProgress') {
        const entry = models.get(event.key);
        if (entry?.summary.state === 'loading') updateModel(entry, { loadProgress: event.progress });
      }
    },
    (status) => {
      if (status.status === 'crashed') {
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
  );

  const register = (path: string, isDemo = false): ModelEntry => {
    const id = modelIdFor(path);
    let entry = models.get(id);
    if (!entry) {
      entry = {
        summary: { id, path, fileName: basename(path), sizeBytes: 0, state: 'unloaded', isDemo },
      };
      models.set(id, entry);
    }
    return entry;
  };

  if (options.demoModelPath && existsSync(options.demoModelPath)) {
    const entry = register(resolve(options.demoModelPath), true);
    demoModelId = entry.summary.id;
    checkReadableFile(entry.summary.path).then((size) => (entry.summary.sizeBytes = size), () => {});
  }

  const entryFor = (modelId: string): ModelEntry => {
    const entry = models.get(modelId);
    if (!entry) throw new ApiError('not-found', 'no such model; open its file first');
    return entry;
  };

  const ensureLoaded = (entry: ModelEntry, skipChecks = false): Promise<ModelSummary> => {
    if (entry.loadedIn === host.generation && entry.summary.state === 'loaded') return Promise.resolve(entry.summary);
    entry.loading ??= (async () => {
      updateModel(entry, { state: 'loading', loadProgress: 0, error: undefined });
      try {
        const { contextSize } = await host.call('loadModel', {
          key: entry.summary.id,
          path: entry.summary.path,
          skipChecks,
        });
        entry.loadedIn = host.generation;
        updateModel(entry, { state: 'loaded', loadProgress: 1, contextSize });
        return entry.summary;
      } catch (error) {
        const data = toApiError(error);
        const message = `Could not load ${entry.summary.fileName}: ${data.message}`;
        updateModel(entry, { state: 'error', loadProgress: undefined, error: message });
        throw new ApiError(data.code === 'host-crashed' ? 'host-crashed' : 'model-error', message);
      } finally {
        entry.loading = undefined;
      }
    })();
    return entry.loading;
  };

  const runCompletion = async (runId: string, entry: ModelEntry, prompt: string, sampling: Sampling) => {
    const run = runs.get(runId)!;
    try {
      await ensureLoaded(entry);
      if (run.cancelled) {
        emit({ type: 'run.end', runId, result: emptyResult('cancelled') });
        return;
      }
      run.inHost = true;
      const result = await host.call('complete', { runId, key: entry.summary.id, prompt, sampling });
      emit({ type: 'run.end', runId, result });
    } catch (error) {
      const data = toApiError(error);
      const message =
        data.code === 'host-crashed' && run.inHost ? `The run was interrupted: ${data.message}` : data.message;
      emit({ type: 'run.error', runId, error: { code: data.code, message } });
    } finally {
      runs.delete(runId);
    }
  };

  const handlers: ApiHandlers = {
    async getAppInfo() {
      return { version: options.version, mode: options.mode === 'electron' ? 'electron' : 'browser', platform: process.platform, demoModelId };
    },
    async listModels() {
      return [...models.values()].map((m) => m.summary);
    },
    async openModel({ path }) {
      const absolute = resolve(path);
      const size = await checkReadableFile(absolute);
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
    async loadModel({ modelId, skipChecks }) {
      return ensureLoaded(entryFor(modelId), skipChecks);
    },
    async unloadModel({ modelId }) {
      const entry = entryFor(modelId);
      if (entry.loading) await entry.loading.catch(() => {});
      if (entry.loadedIn === host.generation) await host.call('unloadModel', { key: modelId });
      entry.loadedIn = undefined;
      updateModel(entry, { state: 'unloaded', loadProgress: undefined, contextSize: undefined, error: undefined });
      return entry.summary;
    },
    async startCompletion({ modelId, prompt, sampling }) {
      const entry = entryFor(modelId);
      const runId = randomUUID();
      runs.set(runId, { modelId, cancelled: false, inHost: false });
      void runCompletion(runId, entry, prompt, sampling);
      return { runId };
    },
    async cancelRun({ runId }) {
      const run = runs.get(runId);
      if (!run) return { cancelled: false };
      run.cancelled = true;
      if (run.inHost) await host.call('cancel', { runId }).catch(() => undefined);
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

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      host.dispose();
      listeners.clear();
    },
    host,
  };
}

function emptyResult(finishReason: 'cancelled') {
  return {
    text: '',
    tokens: [],
    finishReason,
    metrics: { ttftMs: 0, totalMs: 0, promptTokens: 0, generatedTokens: 0, tokensPerSecond: 0 },
  };
}
