import { describe, expect, it, vi } from 'vitest';
import { fakeDelta, fakeResult } from '../helpers/results.js';
import type { ServiceEvent, CompletionResult } from '../../core/api/contract';
import { createAppStore } from '../../renderer/src/store/create-store';
import { selectModelError, selectSelectedModel } from '../../renderer/src/store/selectors';
import { deferred, demoModel, fakeApi, FakeBackendError, manualFrames, otherModel, settle } from './fakes';

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi(overrides);
  const frames = manualFrames();
  let clock = 0;
  const store = createAppStore(fake.api, { scheduler: frames.scheduler, now: () => clock });
  return {
    ...fake,
    frames,
    store,
    get state() {
      return store.getState();
    },
    tick(ms: number) {
      clock += ms;
    },
  };
}

/** The Raw tab: the prompt is sent as it is (the template flow has tests of its own). */
function setupRaw(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const t = setup(overrides);
  t.state.actions.setTab('raw');
  return t;
}

const delta = (text: string, tokens = 1, runId = 'run-1'): ServiceEvent => fakeDelta(runId, text, tokens);

const result = (overrides: Partial<CompletionResult> = {}): CompletionResult =>
  fakeResult({ text: 'Hello world', tokens: [1, 2], ...overrides });

async function startRun(t: ReturnType<typeof setup>) {
  t.state.actions.setTab('raw');
  await t.state.actions.init();
  const running = t.state.actions.run();
  await running;
  expect(t.state.run.runId).toBe('run-1');
}

describe('store: models', () => {
  it('subscribes to events at creation and selects the demo model on init', async () => {
    const t = setup();
    expect(t.api.onEvent).toHaveBeenCalledTimes(1);
    await t.state.actions.init();
    expect(t.state.app.connection).toBe('ready');
    expect(t.state.models.order).toEqual(['other', 'demo']);
    expect(t.state.models.selectedId).toBe('demo');
    expect(selectSelectedModel(t.state)?.isDemo).toBe(true);
  });

  it('reports a failed init in words and recovers on retry', async () => {
    const t = setup({ getAppInfo: vi.fn().mockRejectedValueOnce(new Error('Cannot reach the Shotglass server.')) });
    await t.state.actions.init();
    expect(t.state.app.connection).toBe('error');
    expect(t.state.app.connectionError).toBe('Cannot reach the Shotglass server.');
    (t.api.getAppInfo as ReturnType<typeof vi.fn>).mockResolvedValue({ version: '1', mode: 'browser', platform: 'x', demoModelId: 'demo' });
    await t.state.actions.init();
    expect(t.state.app.connection).toBe('ready');
  });

  it('model events update existing models and add new ones', async () => {
    const t = setup();
    await t.state.actions.init();
    t.emit({ type: 'model', model: { ...demoModel, state: 'loading', loadProgress: 0.4 } });
    expect(t.state.models.byId.demo?.state).toBe('loading');
    expect(t.state.models.byId.demo?.loadProgress).toBe(0.4);
    expect(t.state.models.byId.other).toBe(t.state.models.byId.other); // untouched entries keep identity

    t.emit({ type: 'model', model: { ...otherModel, id: 'new', fileName: 'new.gguf' } });
    expect(t.state.models.order).toEqual(['other', 'demo', 'new']);

    t.emit({ type: 'model', model: { ...demoModel, state: 'error', error: 'This is not a GGUF file.' } });
    expect(selectModelError(t.state)).toBe('This is not a GGUF file.');
  });

  it('keeps model events that arrive while listModels is in flight', async () => {
    const list = deferred<(typeof demoModel)[]>();
    const t = setup({ listModels: vi.fn(() => list.promise) });
    const init = t.state.actions.init();
    t.emit({ type: 'model', model: { ...demoModel, state: 'loading' } });
    list.resolve([demoModel]);
    await init;
    expect(t.state.models.byId.demo?.state).toBe('loading');
  });

  it('opening a path selects and loads the new model', async () => {
    const t = setup();
    await t.state.actions.init();
    await t.state.actions.openModelPath('  /models/opened.gguf ');
    expect(t.api.openModel).toHaveBeenCalledWith({ path: '/models/opened.gguf' });
    expect(t.state.models.selectedId).toBe('opened');
    expect(t.api.loadModel).toHaveBeenCalledWith({ modelId: 'opened', skipChecks: false });
    expect(t.state.models.byId.opened?.state).toBe('loaded');
  });

  it('a failed open shows the backend words and leaves the app usable', async () => {
    const t = setup({ openModel: vi.fn().mockRejectedValue(new FakeBackendError('not-found', 'File not found: /nope.gguf')) });
    await t.state.actions.init();
    await t.state.actions.openModelPath('/nope.gguf');
    expect(selectModelError(t.state)).toBe('File not found: /nope.gguf');
    expect(t.state.models.selectedId).toBe('demo');
    expect(t.state.models.opening).toBe(false);
    t.state.actions.selectModel('other');
    expect(selectModelError(t.state)).toBeNull();
  });

  it('a failed load marks the model as errored even without an event', async () => {
    const t = setup({ loadModel: vi.fn().mockRejectedValue(new FakeBackendError('model-error', 'This is not a GGUF file.')) });
    await t.state.actions.init();
    await t.state.actions.loadModel();
    expect(t.state.models.byId.demo?.state).toBe('error');
    expect(selectModelError(t.state)).toBe('This is not a GGUF file.');
  });

  it('learns that the file dialog is unsupported (browser mode)', async () => {
    const t = setup();
    await t.state.actions.init();
    await t.state.actions.pickModelFile();
    expect(t.state.models.fileDialog).toBe('unsupported');
    expect(t.api.openModel).not.toHaveBeenCalled();
  });
});

describe('store: runs', () => {
  it('sends the prompt, selected model and valid sampling', async () => {
    const t = setupRaw();
    await t.state.actions.init();
    t.state.actions.setPrompt('Q: hi\nA:');
    t.state.actions.updateSampling({ temperature: 0, maxTokens: 20, seed: 42 });
    await t.state.actions.run();
    expect(t.api.startCompletion).toHaveBeenCalledWith({
      modelId: 'demo',
      prompt: 'Q: hi\nA:',
      sampling: expect.objectContaining({ temperature: 0, maxTokens: 20, seed: 42 }),
      topProbabilities: 5,
    });
    expect(t.state.run.status).toBe('running');
    expect(t.state.run.prompt).toBe('Q: hi\nA:');
  });

  it('batches deltas: one store update per frame, text in order', async () => {
    const t = setupRaw();
    await startRun(t);
    const listener = vi.fn();
    const unsubscribe = t.store.subscribe(listener);

    t.tick(10);
    t.emit(delta(' Hello', 1), delta(',', 1), delta(' wor', 1));
    t.tick(10);
    t.emit(delta('ld', 2));
    expect(listener).not.toHaveBeenCalled();
    expect(t.state.run.text).toBe('');
    expect(t.frames.scheduled).toBe(1);

    t.frames.frame();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(t.state.run.text).toBe(' Hello, world');
    expect(t.state.run.tokenCount).toBe(5);
    // 4 tokens after the first one, over 10 ms.
    expect(t.state.run.liveTokensPerSecond).toBeCloseTo(400);

    t.emit(delta('!', 1));
    t.frames.frame();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(t.state.run.text).toBe(' Hello, world!');
    unsubscribe();
  });

  it('many deltas in one frame cost one update', async () => {
    const t = setupRaw();
    await startRun(t);
    const listener = vi.fn();
    t.store.subscribe(listener);
    const pieces = Array.from({ length: 5000 }, (_, i) => String(i % 10));
    for (const piece of pieces) t.emit(delta(piece));
    t.frames.frame();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(t.state.run.text).toBe(pieces.join(''));
    expect(t.state.run.tokenCount).toBe(5000);
  });

  it('run.end flushes pending text, then sets final text, metrics and status', async () => {
    const t = setupRaw();
    await startRun(t);
    t.emit(delta('Hello'));
    t.emit({ type: 'run.end', runId: 'run-1', result: result() });
    expect(t.state.run.status).toBe('done');
    expect(t.state.run.text).toBe('Hello world');
    expect(t.state.run.tokenCount).toBe(2);
    expect(t.state.run.finishReason).toBe('eos');
    expect(t.state.run.metrics).toEqual(result().metrics);
    expect(t.state.run.liveTokensPerSecond).toBeNull();
    // A stale frame after the end changes nothing.
    t.frames.frame();
    expect(t.state.run.text).toBe('Hello world');
  });

  it('a cancelled end is status cancelled', async () => {
    const t = setupRaw();
    await startRun(t);
    t.state.actions.stop();
    expect(t.api.cancelRun).toHaveBeenCalledWith({ runId: 'run-1' });
    expect(t.state.run.stopRequested).toBe(true);
    t.emit({ type: 'run.end', runId: 'run-1', result: result({ finishReason: 'cancelled' }) });
    expect(t.state.run.status).toBe('cancelled');
  });

  it('run.error shows the message; a cancelled error is status cancelled', async () => {
    const t = setupRaw();
    await startRun(t);
    t.emit(delta('partial'));
    t.emit({
      type: 'run.error',
      runId: 'run-1',
      error: { code: 'host-crashed', message: 'The inference process crashed; it has been restarted.' },
    });
    expect(t.state.run.status).toBe('error');
    expect(t.state.run.error).toBe('The inference process crashed; it has been restarted.');
    expect(t.state.run.text).toBe('partial');

    (t.api.startCompletion as ReturnType<typeof vi.fn>).mockResolvedValue({ runId: 'run-2' });
    await t.state.actions.run();
    expect(t.state.run.error).toBeNull();
    expect(t.state.run.text).toBe('');
    t.emit({ type: 'run.error', runId: 'run-2', error: { code: 'cancelled', message: 'cancelled' } });
    expect(t.state.run.status).toBe('cancelled');
    expect(t.state.run.error).toBeNull();
  });

  it('a rejected startCompletion is a run error in words', async () => {
    const t = setupRaw({ startCompletion: vi.fn().mockRejectedValue(new FakeBackendError('model-error', 'The model failed to load.')) });
    await t.state.actions.init();
    await t.state.actions.run();
    expect(t.state.run.status).toBe('error');
    expect(t.state.run.error).toBe('The model failed to load.');
  });

  it('replays events that arrive before startCompletion answers, ignoring other runs', async () => {
    const start = deferred<{ runId: string }>();
    const t = setupRaw({ startCompletion: vi.fn(() => start.promise) });
    await t.state.actions.init();
    const running = t.state.actions.run();
    t.emit(delta('stale', 1, 'old-run'), delta('A', 1, 'run-9'), delta('B', 1, 'run-9'));
    start.resolve({ runId: 'run-9' });
    await running;
    t.frames.frame();
    expect(t.state.run.text).toBe('AB');
    t.emit(delta('x', 1, 'old-run'), { type: 'run.end', runId: 'old-run', result: result() });
    expect(t.state.run.status).toBe('running');
  });

  it('Stop before the run id is known cancels as soon as it arrives', async () => {
    const start = deferred<{ runId: string }>();
    const t = setupRaw({ startCompletion: vi.fn(() => start.promise) });
    await t.state.actions.init();
    const running = t.state.actions.run();
    t.state.actions.stop();
    expect(t.api.cancelRun).not.toHaveBeenCalled();
    start.resolve({ runId: 'run-3' });
    await running;
    expect(t.api.cancelRun).toHaveBeenCalledWith({ runId: 'run-3' });
  });

  it('ignores Run while a run is in progress', async () => {
    const t = setupRaw();
    await startRun(t);
    await t.state.actions.run();
    expect(t.api.startCompletion).toHaveBeenCalledTimes(1);
  });

  it('host events set the status line', async () => {
    const t = setupRaw();
    t.emit({ type: 'host', status: 'crashed', message: 'inference process restarted after a crash' });
    expect(t.state.app.host).toEqual({ status: 'crashed', message: 'inference process restarted after a crash' });
  });

  it('dispose unsubscribes from backend events', async () => {
    const t = setupRaw();
    expect(t.listeners.size).toBe(1);
    t.state.actions.dispose();
    expect(t.listeners.size).toBe(0);
    await settle();
  });
});

describe('store: host status', () => {
  it('keeps the last host message after a later status without one', () => {
    const t = setup();
    t.emit({ type: 'host', status: 'crashed', message: 'inference process restarted after a crash' });
    t.emit({ type: 'host', status: 'ready' });
    expect(t.state.app.host).toEqual({ status: 'ready', message: 'inference process restarted after a crash' });
  });
});

describe('store: transport failures', () => {
  it('survives an event subscription that throws', async () => {
    const t = setup({
      onEvent: vi.fn(() => {
        throw new Error('no WebSocket here');
      }),
      getAppInfo: vi.fn().mockRejectedValue(new Error('Cannot reach the Shotglass server. Is it still running?')),
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await t.state.actions.init();
    expect(t.state.app.connection).toBe('error');
    expect(t.state.app.connectionError).toMatch(/Cannot reach/);
    t.state.actions.dispose();
  });
});
