// A scriptable ShotglassApi and a hand-cranked frame scheduler for store tests.
import { vi } from 'vitest';
import type { ServiceEvent, ModelSummary, ShotglassApi } from '../../core/api/contract';
import type { FrameScheduler } from '../../renderer/src/store/frame-batcher';
import { API_METHODS } from '../../core/api/methods';
import { BUILTIN_PRESETS, STARTERS } from '../../core/prompt/index';

export const demoModel: ModelSummary = {
  id: 'demo',
  path: '/res/shotglass-demo.gguf',
  fileName: 'shotglass-demo.gguf',
  sizeBytes: 1234,
  state: 'unloaded',
  isDemo: true,
  adapters: [],
};

export const otherModel: ModelSummary = {
  id: 'other',
  path: '/models/other.gguf',
  fileName: 'other.gguf',
  sizeBytes: 99,
  state: 'unloaded',
  isDemo: false,
  adapters: [],
};

/** A promise resolved or rejected from the test, to control when an API call answers. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class FakeBackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function fakeApi(overrides: Partial<ShotglassApi> = {}) {
  const listeners = new Set<(event: ServiceEvent) => void>();
  const api = {
    // Every method exists; the store's tests script the ones they use.
    ...(Object.fromEntries(
      API_METHODS.map((m) => [m, vi.fn(async () => { throw new Error(`${m} is not scripted in this test`); })]),
    ) as unknown as ShotglassApi),
    getAppInfo: vi.fn(async () => ({ version: '0.0.0-test', mode: 'browser' as const, platform: 'linux', demoModelId: 'demo' })),
    listModels: vi.fn(async () => [otherModel, demoModel]),
    openModel: vi.fn(async ({ path }: { path: string }) => ({ ...otherModel, id: 'opened', path, fileName: 'opened.gguf' })),
    pickModelFile: vi.fn(async () => ({ supported: false, path: null })),
    loadModel: vi.fn(async ({ modelId }: { modelId: string }) => ({ ...demoModel, id: modelId, state: 'loaded' as const })),
    setAdapters: vi.fn(async ({ modelId }: { modelId: string }) => ({ ...demoModel, id: modelId })),
    unloadModel: vi.fn(async ({ modelId }: { modelId: string }) => ({ ...demoModel, id: modelId, state: 'unloaded' as const })),
    startCompletion: vi.fn(async () => ({ runId: 'run-1' })),
    cancelRun: vi.fn(async () => ({ cancelled: true })),
    tokenize: vi.fn(async () => ({ ids: [], pieces: [] })),
    detokenize: vi.fn(async () => ({ text: '' })),
    inspectModel: vi.fn(async (): Promise<never> => {
      throw new Error('not used by the store');
    }),
    renderPrompt: vi.fn(async () => ({ text: '', tokens: [], contextSize: 4096, stopStrings: [] })),
    getSystemInfo: vi.fn(async () => ({
      backend: 'cpu',
      requestedAccelerator: 'auto' as const,
      availableBackends: ['auto' as const, 'cpu' as const],
      devices: [],
      vram: { total: 0, free: 0 },
      ram: { total: 1, free: 1 },
      cpuCores: 2,
      nodeLlamaCpp: '3.21.1',
      llamaCpp: 'b0',
      nativeAddon: 'shotglass' as const,
    })),
    setAccelerator: vi.fn(async (): Promise<never> => {
      throw new Error('not used by the store');
    }),
    // The workbench's start-up calls: an empty library and history, the real presets and starters.
    listPresets: vi.fn(async () => ({ builtIn: [...BUILTIN_PRESETS], user: [] })),
    listTemplates: vi.fn(async () => []),
    listStarters: vi.fn(async () => STARTERS.map((s) => structuredClone(s.template))),
    listRuns: vi.fn(async () => ({ items: [], nextCursor: null })),
    onEvent: vi.fn((listener: (event: ServiceEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    ...overrides,
  } satisfies ShotglassApi;
  return {
    api,
    listeners,
    emit(...events: ServiceEvent[]) {
      for (const event of events) for (const listener of listeners) listener(event);
    },
  };
}

/** Frames advance only when the test says so. */
export function manualFrames() {
  const queue = new Set<() => void>();
  const scheduler: FrameScheduler = {
    request(callback) {
      queue.add(callback);
      return () => queue.delete(callback);
    },
  };
  return {
    scheduler,
    get scheduled() {
      return queue.size;
    },
    frame() {
      const callbacks = [...queue];
      queue.clear();
      for (const callback of callbacks) callback();
    },
  };
}

/** Let pending promise callbacks (API answers) run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
