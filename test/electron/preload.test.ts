import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServiceEvent, ShotglassBridge } from '../../core/api/contract.js';
import { fakeDelta } from '../helpers/results.js';
import { API_METHODS, EVENT_CHANNEL, ipcChannel } from '../../core/api/methods.js';
import { fake, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

async function loadPreload(): Promise<ShotglassBridge> {
  vi.resetModules();
  await import('../../electron/preload.js');
  expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  expect(fake.contextBridge.exposeInMainWorld.mock.calls[0]?.[0]).toBe('shotglass');
  return fake.exposed.shotglass as ShotglassBridge;
}

const delta = (runId: string, text: string): ServiceEvent => fakeDelta(runId, text);

describe('preload bridge', () => {
  beforeEach(() => resetFakeElectron());

  it('exposes exactly one function per API method plus onEvent, and no generic invoke', async () => {
    const bridge = await loadPreload();
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'onEvent'].sort());
    for (const key of Object.keys(bridge)) expect(typeof (bridge as Record<string, unknown>)[key]).toBe('function');
    for (const generic of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'call']) expect(bridge).not.toHaveProperty(generic);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('each method invokes its own channel with the input only and returns the envelope unchanged', async () => {
    const bridge = await loadPreload();
    for (const method of API_METHODS) {
      const envelope = { ok: false, error: { code: 'not-found', message: method } };
      fake.ipcRenderer.invoke.mockResolvedValueOnce(envelope);
      const input = { marker: method };
      const call = bridge[method] as (input: unknown, ...rest: unknown[]) => Promise<unknown>;
      await expect(call(input, 'shotglass:cancelRun', 'extra')).resolves.toBe(envelope);
      expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel(method), input);
    }
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledTimes(API_METHODS.length);
    expect(new Set(fake.ipcRenderer.invoke.mock.calls.map((c) => c[0])).size).toBe(API_METHODS.length);
  });

  it('onEvent unpacks batches into single events, without the IpcRendererEvent', async () => {
    const bridge = await loadPreload();
    const seen: unknown[][] = [];
    bridge.onEvent((...args: unknown[]) => seen.push(args));
    const batch = [delta('r1', 'a'), { type: 'host', status: 'ready' } as ServiceEvent, delta('r2', 'b')];
    fake.ipcRenderer.emitFromMain(EVENT_CHANNEL, batch);
    expect(seen).toEqual(batch.map((event) => [event]));
  });

  it('unsubscribe stops delivery and removes the IPC listener once nobody listens', async () => {
    const bridge = await loadPreload();
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = bridge.onEvent(first);
    const offSecond = bridge.onEvent(second);
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(1);

    offFirst();
    offFirst(); // idempotent
    fake.ipcRenderer.emitFromMain(EVENT_CHANNEL, [delta('r', 'x')]);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);

    offSecond();
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
    fake.ipcRenderer.emitFromMain(EVENT_CHANNEL, [delta('r', 'y')]);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('ignores payloads that are not batches and survives a throwing listener', async () => {
    const bridge = await loadPreload();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    bridge.onEvent(() => {
      throw new Error('boom');
    });
    bridge.onEvent(good);
    fake.ipcRenderer.emitFromMain(EVENT_CHANNEL, { type: 'host', status: 'ready' });
    expect(good).not.toHaveBeenCalled();
    fake.ipcRenderer.emitFromMain(EVENT_CHANNEL, [delta('r', 'a'), delta('r', 'b')]);
    expect(good).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it('rejects a non-function listener', async () => {
    const bridge = await loadPreload();
    expect(() => bridge.onEvent('nope' as never)).toThrow(TypeError);
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });
});
