// The preload: exposes `window.shotglass` (a ShotglassBridge) to the sandboxed renderer.
//
// It runs sandboxed, so it may import only 'electron' (plus plain constants from methods.ts) and is
// bundled to one CJS file; contract.ts is imported for types only, never zod.
//
// Every API method gets its own function bound to its own channel: the page can call the nine
// methods and nothing else (there is no generic invoke/send taking a channel name). Results are the
// Envelope exactly as it crossed IPC, because contextBridge would strip an Error's `code`.
//
// Events arrive from main in batches (an array per ~16 ms, see electron/shell/event-batcher.ts);
// onEvent unpacks them into one listener call per event and never hands the IpcRendererEvent to
// the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ServiceEvent, ShotglassBridge } from '../core/api/contract.js';
import { API_METHODS, EVENT_CHANNEL, ipcChannel } from '../core/api/methods.js';

type IpcRendererLike = Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createBridge(ipc: IpcRendererLike): ShotglassBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of API_METHODS) {
    const channel = ipcChannel(method);
    // Only the input crosses; whatever else the page passes is dropped.
    bridge[method] = (input?: unknown) => ipc.invoke(channel, input);
  }

  // One IPC subscription however many page listeners; removed when the last one unsubscribes.
  const listeners = new Set<(event: ServiceEvent) => void>();
  const onBatch = (_event: IpcRendererEvent, batch: unknown) => {
    if (!Array.isArray(batch)) return;
    for (const event of batch as ServiceEvent[]) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          // One failing listener must not starve the others (or the rest of the batch).
          console.error('shotglass: event listener failed', error);
        }
      }
    }
  };

  bridge.onEvent = (listener: (event: ServiceEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent expects a function');
    // Wrap so that subscribing the same function twice gives two independent subscriptions.
    const entry = (event: ServiceEvent) => listener(event);
    if (listeners.size === 0) ipc.on(EVENT_CHANNEL, onBatch);
    listeners.add(entry);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      listeners.delete(entry);
      if (listeners.size === 0) ipc.removeListener(EVENT_CHANNEL, onBatch);
    };
  };

  return Object.freeze(bridge) as ShotglassBridge;
}

contextBridge.exposeInMainWorld('shotglass', createBridge(ipcRenderer));
