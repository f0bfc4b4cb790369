import { describe, expect, it, vi } from 'vitest';
import type { SystemInfo } from '../../core/api/contract';
import { backendLabel } from '../../renderer/src/lib/format';
import { createAppStore } from '../../renderer/src/store/create-store';
import { DEFAULT_LOAD_OPTIONS, draftFromModel, optionsFromDraft } from '../../renderer/src/store/load-options';
import { demoModel, fakeApi, FakeBackendError, settle } from './fakes';

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi(overrides);
  const store = createAppStore(fake.api);
  return {
    ...fake,
    get state() {
      return store.getState();
    },
  };
}

const system = (overrides: Partial<SystemInfo> = {}): SystemInfo => ({
  backend: 'cpu',
  requestedAccelerator: 'auto',
  availableBackends: ['auto', 'cpu'],
  devices: [],
  vram: { total: 0, free: 0 },
  ram: { total: 8e9, free: 4e9 },
  cpuCores: 2,
  nodeLlamaCpp: '3.21.1',
  llamaCpp: 'b0',
  nativeAddon: 'shotglass',
  ...overrides,
});

describe('load settings: the store', () => {
  it('passes the options, checked and with their defaults, to api.loadModel', async () => {
    const t = setup();
    await t.state.actions.init();
    const outcome = await t.state.actions.loadModel('demo', { options: { contextSize: 1024, threads: 1, flashAttention: false } });
    expect(outcome).toEqual({ ok: true });
    expect(t.api.loadModel).toHaveBeenCalledWith({
      modelId: 'demo',
      skipChecks: false,
      options: { ...DEFAULT_LOAD_OPTIONS, contextSize: 1024, threads: 1, flashAttention: false },
    });
    expect(t.state.models.byId.demo?.state).toBe('loaded');
  });

  it('refuses a context size below the minimum, naming the field, without calling the API', async () => {
    const t = setup();
    await t.state.actions.init();
    const draft = { ...draftFromModel(null), contextSize: '5' };
    const outcome = await t.state.actions.loadModel('demo', { options: optionsFromDraft(draft) });
    expect(outcome).toEqual({ ok: false, field: 'contextSize', message: 'Context size must be at least 16' });
    expect(t.api.loadModel).not.toHaveBeenCalled();
    // Nothing happened to the model: no "loading" that never ends.
    expect(t.state.models.byId.demo?.state).toBe('unloaded');
  });

  it('names the field for text that is not a number, and for GPU layers out of range', async () => {
    const t = setup();
    await t.state.actions.init();
    const base = draftFromModel(null);
    expect(await t.state.actions.loadModel('demo', { options: optionsFromDraft({ ...base, threads: 'two' }) })).toMatchObject({ field: 'threads', message: 'Threads must be a whole number' });
    expect(await t.state.actions.loadModel('demo', { options: optionsFromDraft({ ...base, gpuLayers: '2000' }) })).toMatchObject({ field: 'gpuLayers', message: expect.stringMatching(/^GPU layers must be auto, max or/) });
    expect(await t.state.actions.loadModel('demo', { options: optionsFromDraft({ ...base, sequences: '17' }) })).toMatchObject({ field: 'sequences' });
    expect(t.api.loadModel).not.toHaveBeenCalled();
  });

  it('a plain Load keeps the settings the model was last loaded with; a new model gets no options', async () => {
    const t = setup();
    await t.state.actions.init();
    await t.state.actions.loadModel('other');
    expect(t.api.loadModel).toHaveBeenLastCalledWith({ modelId: 'other', skipChecks: false });

    const last = { ...DEFAULT_LOAD_OPTIONS, contextSize: 512, sequences: 2 };
    t.emit({ type: 'model', model: { ...demoModel, state: 'unloaded', loadOptions: last } });
    await t.state.actions.loadModel('demo', { skipChecks: true });
    expect(t.api.loadModel).toHaveBeenLastCalledWith({ modelId: 'demo', skipChecks: true, options: last });
  });

  it('a failed load is reported in words to the caller and on the model', async () => {
    const t = setup({ loadModel: vi.fn().mockRejectedValue(new FakeBackendError('model-error', 'Could not load shotglass-demo.gguf: out of memory')) });
    await t.state.actions.init();
    const outcome = await t.state.actions.loadModel('demo', { options: { contextSize: 1_000_000 } });
    expect(outcome).toEqual({ ok: false, message: 'Could not load shotglass-demo.gguf: out of memory' });
    expect(t.state.models.byId.demo?.state).toBe('error');
  });

  it('the dialog starts from the model\'s last settings, and they survive the round trip', () => {
    const last = { ...DEFAULT_LOAD_OPTIONS, contextSize: 2048, gpuLayers: 'max' as const, batchSize: 256, flashAttention: false, useMmap: false };
    const draft = draftFromModel({ loadOptions: last });
    expect(draft).toMatchObject({ contextSize: '2048', gpuLayers: 'max', batchSize: '256', flashAttention: 'off', useMmap: false, sequences: '4', threads: '0' });
    expect(optionsFromDraft(draft)).toEqual(last);
    // Empty fields are "the default", not zero.
    expect(optionsFromDraft({ ...draftFromModel(null), contextSize: ' ', gpuLayers: '' })).toMatchObject({ contextSize: undefined, gpuLayers: undefined });
  });
});

describe('system info', () => {
  it('is fetched at init and again when the inference process is ready after a restart', async () => {
    const t = setup();
    await t.state.actions.init();
    await settle();
    expect(t.api.getSystemInfo).toHaveBeenCalledTimes(1);
    expect(t.state.app.system?.nativeAddon).toBe('shotglass');

    (t.api.getSystemInfo as ReturnType<typeof vi.fn>).mockResolvedValueOnce(system({ backend: 'cuda', devices: ['RTX 4090'], nativeAddon: 'stock' }));
    t.emit({ type: 'host', status: 'crashed', message: 'the inference process stopped unexpectedly' }, { type: 'host', status: 'ready' });
    await settle();
    expect(t.api.getSystemInfo).toHaveBeenCalledTimes(2);
    expect(t.state.app.system?.backend).toBe('cuda');
    expect(backendLabel(t.state.app.system!)).toBe('CUDA: RTX 4090');
  });

  it('asks once while a question is under way (the first "ready" comes while init asks)', async () => {
    let answer!: (info: SystemInfo) => void;
    const t = setup({ getSystemInfo: vi.fn(() => new Promise<SystemInfo>((resolve) => (answer = resolve))) });
    await t.state.actions.init();
    t.emit({ type: 'host', status: 'starting' }, { type: 'host', status: 'ready' });
    answer(system());
    await settle();
    expect(t.api.getSystemInfo).toHaveBeenCalledTimes(1);
    expect(t.state.app.system?.backend).toBe('cpu');
  });

  it('a failure to fetch leaves the app ready and the system unknown', async () => {
    const t = setup({ getSystemInfo: vi.fn().mockRejectedValue(new Error('llama.cpp could not start on this machine')) });
    await t.state.actions.init();
    await settle();
    expect(t.state.app.connection).toBe('ready');
    expect(t.state.app.system).toBeNull();
  });

  it('setAccelerator: the new system info on success, the backend\'s words on failure', async () => {
    const t = setup({
      setAccelerator: vi
        .fn()
        .mockResolvedValueOnce(system({ requestedAccelerator: 'cpu' }))
        .mockRejectedValueOnce(new FakeBackendError('invalid-argument', 'the cuda backend is not available on this machine (no driver); choose another backend')),
    });
    await t.state.actions.init();
    await settle();
    expect(await t.state.actions.setAccelerator('cpu')).toBeNull();
    expect(t.state.app.system?.requestedAccelerator).toBe('cpu');
    expect(await t.state.actions.setAccelerator('cuda')).toMatch(/^the cuda backend is not available/);
    expect(t.api.setAccelerator).toHaveBeenLastCalledWith({ backend: 'cuda' });
    expect(t.state.app.system?.requestedAccelerator).toBe('cpu');
  });
});
