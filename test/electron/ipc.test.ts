import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, DEFAULT_SAMPLING, type ApiHandlers, type ServiceEvent, type Envelope } from '../../core/api/contract.js';
import { API_METHODS, EVENT_CHANNEL, ipcChannel, type ApiMethod } from '../../core/api/methods.js';
import type { Service } from '../../service/types.js';
import { createSenderCheck, registerIpc } from '../../electron/ipc.js';
import { createAppUrlMatcher, type AppLocation } from '../../electron/app-url.js';
import { fake, FakeBrowserWindow, FakeWebContents, resetFakeElectron } from './fake-electron.js';
import { fakeDelta, fakeResult } from '../helpers/results.js';

const stepsOf = (event: ServiceEvent) => (event.type === 'run.delta' ? event.steps : []);

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

const INDEX = '/opt/shotglass/renderer/index.html';
const location: AppLocation = { kind: 'file', indexHtml: INDEX };
const APP_URL = pathToFileURL(INDEX).href;

function fakeBackend() {
  const listeners = new Set<(event: ServiceEvent) => void>();
  const handlers = Object.fromEntries(
    API_METHODS.map((method) => [method, vi.fn(async (input: unknown) => ({ echoed: method, input }))]),
  ) as unknown as Record<ApiMethod, ReturnType<typeof vi.fn>>;
  const backend: Service = {
    handlers: handlers as unknown as ApiHandlers,
    api: handlers as unknown as Service['api'],
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    host: { pid: undefined, kill: vi.fn() },
    dispose: vi.fn(async () => {}),
  };
  return { backend, handlers, emit: (event: ServiceEvent) => listeners.forEach((l) => l(event)), listeners };
}

function setup() {
  const window = new FakeBrowserWindow({});
  const { backend, handlers, emit, listeners } = fakeBackend();
  const dispose = registerIpc(backend, {
    isTrustedSender: createSenderCheck(() => window as never, createAppUrlMatcher(location)),
    eventTarget: () => window.webContents as never,
  });
  const event = (overrides: { sender?: unknown; url?: string; parent?: unknown; frame?: null } = {}) => ({
    sender: overrides.sender ?? window.webContents,
    senderFrame: overrides.frame === null ? null : { url: overrides.url ?? `${APP_URL}#/workbench`, parent: overrides.parent ?? null },
  });
  const invoke = (method: ApiMethod, raw: unknown, ev = event()) =>
    fake.ipcMain.invoke(ipcChannel(method), ev, raw) as Promise<Envelope<unknown>>;
  return { window, backend, handlers, emit, listeners, dispose, event, invoke };
}

describe('registerIpc', () => {
  beforeEach(() => resetFakeElectron());
  afterEach(() => vi.useRealTimers());

  it('registers exactly one handler per API method', () => {
    setup();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map(ipcChannel).sort());
  });

  it.each([
    ['another web contents', { sender: new FakeWebContents() }],
    ['a foreign page in the app window', { url: 'https://evil.example/' }],
    ['a file outside the renderer', { url: 'file:///etc/passwd' }],
    ['a subframe', { parent: { url: APP_URL } }],
    ['a frame that is gone', { frame: null }],
  ] as const)('refuses %s with forbidden, never calling the handler', async (_name, overrides) => {
    const { invoke, event, handlers } = setup();
    const result = await invoke('listModels', {}, event(overrides as never));
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('listModels') } });
    expect(handlers.listModels).not.toHaveBeenCalled();
  });

  it('refuses everything once the window is destroyed', async () => {
    const { invoke, window, handlers } = setup();
    window.destroyed = true;
    expect(await invoke('getAppInfo', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers.getAppInfo).not.toHaveBeenCalled();
  });

  it('treats a throwing sender check as untrusted', async () => {
    const { backend, handlers } = fakeBackend();
    resetFakeElectron();
    registerIpc(backend, {
      isTrustedSender: () => {
        throw new Error('no frame');
      },
    });
    const result = (await fake.ipcMain.invoke(ipcChannel('tokenize'), {}, { modelId: 'm', text: 'x' })) as Envelope<unknown>;
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers.tokenize).not.toHaveBeenCalled();
  });

  it('rejects invalid input with invalid-argument naming the field', async () => {
    const { invoke, handlers } = setup();
    const result = await invoke('startCompletion', { modelId: 'm1', prompt: 'Hi', sampling: { temperature: 5 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-argument');
    expect(result.error.message).toContain('sampling.temperature');
    expect(handlers.startCompletion).not.toHaveBeenCalled();

    const unknownKey = await invoke('cancelRun', { runId: 'r1', channel: 'shotglass:tokenize' });
    expect(unknownKey).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(handlers.cancelRun).not.toHaveBeenCalled();
  });

  it('passes parsed input (defaults filled) to the handler and wraps its value', async () => {
    const { invoke, handlers } = setup();
    handlers.startCompletion.mockResolvedValueOnce({ runId: 'run-1' });
    const result = await invoke('startCompletion', { modelId: 'm1', prompt: 'Once upon' });
    expect(result).toEqual({ ok: true, value: { runId: 'run-1' } });
    expect(handlers.startCompletion).toHaveBeenCalledTimes(1);
    expect(handlers.startCompletion).toHaveBeenCalledWith({
      modelId: 'm1',
      prompt: 'Once upon',
      sampling: DEFAULT_SAMPLING,
      topProbabilities: 5,
      ephemeral: false,
    });

    // No input at all is an empty object for input-less methods.
    await invoke('listModels', undefined);
    expect(handlers.listModels).toHaveBeenCalledWith({});
  });

  it('keeps an ApiError code from the handler; anything else is internal', async () => {
    const { invoke, handlers } = setup();
    handlers.loadModel.mockRejectedValueOnce(new ApiError('not-found', 'No model m9'));
    expect(await invoke('loadModel', { modelId: 'm9' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No model m9' },
    });
    handlers.unloadModel.mockRejectedValueOnce(new TypeError('kaput'));
    expect(await invoke('unloadModel', { modelId: 'm9' })).toEqual({ ok: false, error: { code: 'internal', message: 'kaput' } });
  });

  it('forwards backend events to the window in batches, merging a run’s deltas', async () => {
    vi.useFakeTimers();
    const { emit, window } = setup();
    const sent = () => window.webContents.sent.filter((m) => m.channel === EVENT_CHANNEL).map((m) => m.args);

    emit(fakeDelta('a', 'Once', 1));
    emit(fakeDelta('b', 'The', 1));
    emit(fakeDelta('a', ' upon', 2));
    emit({ type: 'host', status: 'ready' });
    expect(sent()).toEqual([]); // nothing before the frame is up

    await vi.advanceTimersByTimeAsync(20);
    expect(sent()).toEqual([
      [
        [
          { ...fakeDelta('a', 'Once upon', 3), steps: [...stepsOf(fakeDelta('a', 'Once', 1)), ...stepsOf(fakeDelta('a', ' upon', 2))] },
          fakeDelta('b', 'The', 1),
          { type: 'host', status: 'ready' },
        ],
      ],
    ]);

    const result = fakeResult();
    emit(fakeDelta('a', ' a', 1));
    emit({ type: 'run.end', runId: 'a', result });
    emit(fakeDelta('a', ' late', 1));
    await vi.advanceTimersByTimeAsync(20);
    expect(sent()).toHaveLength(2);
    expect(sent()[1]).toEqual([
      [
        fakeDelta('a', ' a', 1),
        { type: 'run.end', runId: 'a', result },
        fakeDelta('a', ' late', 1),
      ],
    ]);
  });

  it('sends a burst of many events as one message', async () => {
    vi.useFakeTimers();
    const { emit, window } = setup();
    for (let i = 0; i < 500; i++) emit(fakeDelta(`r${i % 4}`, 't', 1));
    await vi.advanceTimersByTimeAsync(20);
    expect(window.webContents.sent).toHaveLength(1);
    const [batch] = window.webContents.sent[0]!.args as [ServiceEvent[]];
    expect(batch).toHaveLength(4);
    expect(batch.map((e) => (e.type === 'run.delta' ? e.tokens : 0))).toEqual([125, 125, 125, 125]);
  });

  it('drops events while the window is destroyed; dispose unregisters and unsubscribes', async () => {
    vi.useFakeTimers();
    const { emit, window, dispose, listeners } = setup();
    window.webContents.destroyed = true;
    emit({ type: 'host', status: 'starting' });
    await vi.advanceTimersByTimeAsync(20);
    expect(window.webContents.sent).toEqual([]);

    window.webContents.destroyed = false;
    emit({ type: 'host', status: 'stopped' });
    dispose();
    expect(window.webContents.sent).toHaveLength(1); // flushed on dispose
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
  });
});
