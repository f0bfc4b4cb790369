// The local provider: GGUF files run by Shotglass's own inference process (host/), supervised by
// HostClient. It owns everything local about a model: whether and how it is loaded (placement,
// context, adapters), the file hashes its records name, the accelerator, and a crashed process.
import { basename, resolve } from 'node:path';
import {
  ApiError,
  LoadOptionsSchema,
  toApiError,
  type Accelerator,
  type Adapter,
  type CompletionResult,
  type LoadOptions,
  type ModelInfo,
  type ModelSummary,
  type PromptInput,
  type RenderedPrompt,
  type SystemInfo,
} from '../../core/api/contract.js';
import type { SpawnHost } from '../../host/channel.js';
import type { Placement } from '../../node/gguf/inspect.js';
import { checkGgufFile, mayLoadAnyway } from '../../node/gguf/preflight.js';
import { HostClient, type HostStatus } from '../inference/host-client.js';
import { FileHashCache } from '../models/file-hash.js';
import type { ModelRegistry } from '../models/registry.js';
import type { CompletionRequest, ModelProvider, ProviderCapabilities, ScoreRequest, StreamEvent } from './provider.js';

/** Everything a local model can do: the inference process gives probabilities, scores, forks. */
const LOCAL_CAPABILITIES: ProviderCapabilities = Object.freeze({
  completion: true,
  chat: true,
  streaming: true,
  maxTopProbabilities: 20,
  seed: true,
  jsonSchema: true,
  grammar: true,
  tokenize: true,
  scoring: true,
  forks: true,
  prefixSharing: true,
});

interface LocalState {
  /** host generation the model is loaded in; stale after a host crash */
  loadedIn?: number;
  loading?: Promise<ModelSummary>;
  /** what the last load asked for; an automatic reload asks for the same */
  options: LoadOptions;
  skipChecks: boolean;
}

export interface LocalProviderOptions {
  spawnHost: SpawnHost;
  accelerator?: Accelerator;
  /** where the model file hashes are cached; none: in memory only */
  hashCacheFile?: string;
  /** how long a busy inference process may stay silent before it is restarted */
  hangTimeoutMs?: number;
  models: ModelRegistry;
  onStream(event: StreamEvent): void;
  onHostStatus(status: HostStatus): void;
}

export class LocalProvider implements ModelProvider {
  readonly kind = 'local' as const;
  private readonly host: HostClient;
  private readonly hashes: FileHashCache;
  private readonly states = new Map<string, LocalState>();
  private readonly models: ModelRegistry;
  private accelerator: Accelerator;

  constructor(options: LocalProviderOptions) {
    this.models = options.models;
    this.accelerator = options.accelerator ?? 'auto';
    this.hashes = new FileHashCache(options.hashCacheFile);
    this.host = new HostClient(
      options.spawnHost,
      (event) => {
        if (event.type === 'token') options.onStream({ type: 'delta', runId: event.runId, text: event.text, steps: event.steps });
        else if (event.type === 'runState') options.onStream({ type: 'state', runId: event.runId, state: event.state });
        else if (event.type === 'loadProgress') {
          if (this.models.find(event.key)?.state === 'loading') this.models.update(event.key, { loadProgress: event.progress });
        }
      },
      (status) => {
        if (status.status === 'crashed' || status.status === 'stopped') {
          // Everything the dead process held is gone; models reload on their next use.
          for (const model of this.models.list()) {
            const state = this.states.get(model.id);
            if (model.state === 'loaded' && state) {
              state.loadedIn = undefined;
              this.models.update(model.id, { state: 'unloaded', loadProgress: undefined, contextSize: undefined });
            }
          }
        }
        options.onHostStatus(status);
      },
      options.hangTimeoutMs,
    );
    if (options.accelerator) this.host.backend = options.accelerator;
  }

  /** The supervised inference process (its pid, and a way to end it on purpose). */
  get process(): { readonly pid: number | undefined; kill(): void } {
    return this.host;
  }

  capabilities(): ProviderCapabilities {
    return LOCAL_CAPABILITIES;
  }

  private state(modelId: string): LocalState {
    let state = this.states.get(modelId);
    if (!state) {
      state = { options: LoadOptionsSchema.parse({}), skipChecks: false };
      this.states.set(modelId, state);
    }
    return state;
  }

  private loaded(modelId: string): boolean {
    return this.state(modelId).loadedIn === this.host.generation && this.models.get(modelId).state === 'loaded';
  }

  prepare(modelId: string): Promise<ModelSummary> {
    const state = this.state(modelId);
    if (this.loaded(modelId)) return Promise.resolve(this.models.get(modelId));
    state.loading ??= (async () => {
      const model = this.models.update(modelId, { state: 'loading', loadProgress: 0, error: undefined, loadAnyway: undefined, loadOptions: state.options });
      // The record of every run names the file's hash: compute it while the model loads.
      void this.hashes.sha256(model.path).catch(() => undefined);
      try {
        const { contextSize } = await this.host.call('loadModel', {
          key: modelId,
          path: model.path,
          skipChecks: state.skipChecks,
          options: state.options,
          adapters: model.adapters,
        });
        state.loadedIn = this.host.generation;
        return this.models.update(modelId, { state: 'loaded', loadProgress: 1, contextSize });
      } catch (error) {
        const data = toApiError(error);
        const message = `Could not load ${model.fileName}: ${data.message}`;
        this.models.update(modelId, { state: 'error', loadProgress: undefined, error: message, loadAnyway: !state.skipChecks && mayLoadAnyway(data.message) });
        throw new ApiError(data.code === 'host-crashed' ? 'host-crashed' : 'model-error', message);
      } finally {
        state.loading = undefined;
      }
    })();
    return state.loading;
  }

  /** Load with these settings (reloading a model loaded with others). */
  async load(modelId: string, options: LoadOptions, skipChecks: boolean): Promise<ModelSummary> {
    const state = this.state(modelId);
    const changed = JSON.stringify(options) !== JSON.stringify(state.options) || skipChecks !== state.skipChecks;
    if (changed && state.loadedIn === this.host.generation) {
      if (state.loading) await state.loading.catch(() => {});
      await this.host.call('unloadModel', { key: modelId });
      state.loadedIn = undefined;
      this.models.update(modelId, { state: 'unloaded' });
    }
    state.options = options;
    state.skipChecks = skipChecks;
    return this.prepare(modelId);
  }

  async unload(modelId: string): Promise<ModelSummary> {
    const state = this.state(modelId);
    if (state.loading) await state.loading.catch(() => {});
    if (state.loadedIn === this.host.generation) await this.host.call('unloadModel', { key: modelId });
    state.loadedIn = undefined;
    return this.models.update(modelId, { state: 'unloaded', loadProgress: undefined, contextSize: undefined, error: undefined });
  }

  async setAdapters(modelId: string, adapters: Adapter[]): Promise<ModelSummary> {
    const resolved = adapters.map((a) => ({ ...a, path: resolve(a.path) }));
    // Every file is checked (a regular file with the GGUF magic) before the model is touched.
    for (const a of resolved) await checkGgufFile(a.path);
    const state = this.state(modelId);
    if (state.loading) await state.loading.catch(() => {});
    if (this.loaded(modelId)) await this.host.call('setAdapters', { key: modelId, adapters: resolved });
    return this.models.update(modelId, { adapters: resolved });
  }

  inspect(path: string, placement: Placement): Promise<ModelInfo> {
    return this.host.call('inspect', { path: resolve(path), placement });
  }

  systemInfo(): Promise<SystemInfo> {
    return this.host.call('systemInfo', {});
  }

  /** Restart the inference process on another accelerator; back to the previous one if it fails. */
  async setAccelerator(accelerator: Accelerator): Promise<SystemInfo> {
    const previous = this.accelerator;
    this.accelerator = accelerator;
    this.host.backend = accelerator;
    await this.host.restart();
    try {
      return await this.host.call('systemInfo', {});
    } catch (error) {
      // The machine lacks it: go back to what worked, and say why.
      this.accelerator = previous;
      this.host.backend = previous;
      await this.host.restart();
      throw error;
    }
  }

  async render(modelId: string, input: PromptInput): Promise<RenderedPrompt> {
    await this.prepare(modelId);
    return this.host.call('render', { key: modelId, input });
  }

  async tokenize(modelId: string, text: string): Promise<{ ids: number[]; pieces: string[] }> {
    await this.prepare(modelId);
    return this.host.call('tokenize', { key: modelId, text });
  }

  async detokenize(modelId: string, ids: number[]): Promise<{ text: string }> {
    await this.prepare(modelId);
    return this.host.call('detokenize', { key: modelId, ids });
  }

  async complete(modelId: string, request: CompletionRequest, cancelled: () => boolean): Promise<CompletionResult> {
    await this.prepare(modelId);
    // The model as it is now (adapters set while it loaded included), not as the load left it.
    const model = this.models.get(modelId);
    const modelSha256 = await this.hashes.sha256(model.path);
    const adapters = await Promise.all(
      model.adapters.map(async (a) => ({ fileName: basename(a.path), sha256: await this.hashes.sha256(a.path), scale: a.scale })),
    );
    if (cancelled()) throw new ApiError('cancelled', 'stopped before it started');
    return this.host.call('complete', { ...request, key: modelId, modelSha256, modelSizeBytes: model.sizeBytes, adapters });
  }

  async cancel(runId: string): Promise<void> {
    // Stop stops within a second: a host that cannot even take the cancel is stuck, and restarted.
    await this.host.callWithin('cancel', { runId }, 1000, { cancelled: true }, 'it did not take Stop within a second').catch(() => undefined);
  }

  async score(modelId: string, request: ScoreRequest): Promise<Array<{ id: number; text: string; p: number }>> {
    await this.prepare(modelId);
    return this.host.call('score', { key: modelId, ...request });
  }

  dispose(): void {
    this.host.dispose();
  }
}
