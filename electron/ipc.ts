// Main-process side of the bridge: one ipcMain.handle per API method, each checking the sender,
// validating the input against the contract and answering with an Envelope; plus the backend's
// events, forwarded to the app window in batches (one `send` of an array per ~16 ms).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  parseInput,
  toApiError,
  type ApiOutput,
  type ApiParsedInput,
  type ServiceEvent,
  type Envelope,
} from '../core/api/contract.js';
import { API_METHODS, EVENT_CHANNEL, ipcChannel, type ApiMethod } from '../core/api/methods.js';
import type { Service } from '../service/types.js';
import { createEventBatcher, EVENT_BATCH_MS } from '../service/transport/event-batcher.js';

export interface IpcOptions {
  /** Whether an invoke comes from the app's own window and page (see createSenderCheck). */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** Where backend events go, looked up at each flush (the window may be re-created on macOS). */
  eventTarget?: () => WebContents | null | undefined;
  eventBatchMs?: number;
}

/** Registers the handlers; returns a function that removes them and stops event forwarding. */
export function registerIpc(backend: Service, options: IpcOptions): () => void {
  const channels: string[] = [];
  for (const method of API_METHODS) {
    const channel = ipcChannel(method);
    ipcMain.handle(channel, (event, raw: unknown) => handle(backend, options, method, event, raw));
    channels.push(channel);
  }

  const batcher = createEventBatcher((batch: ServiceEvent[]) => {
    const target = options.eventTarget?.();
    if (!target || target.isDestroyed()) return;
    try {
      target.send(EVENT_CHANNEL, batch);
    } catch (error) {
      console.error('shotglass: could not forward backend events', error);
    }
  }, options.eventBatchMs ?? EVENT_BATCH_MS);
  const unsubscribe = backend.onEvent((event) => batcher.push(event));

  return () => {
    unsubscribe();
    batcher.dispose();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

async function handle<M extends ApiMethod>(
  backend: Service,
  options: IpcOptions,
  method: M,
  event: IpcMainInvokeEvent,
  raw: unknown,
): Promise<Envelope<ApiOutput<M>>> {
  let trusted = false;
  try {
    trusted = options.isTrustedSender(event);
  } catch {
    trusted = false;
  }
  if (!trusted) {
    return {
      ok: false,
      error: { code: 'forbidden', message: `${method} refused: the request did not come from the Shotglass window` },
    };
  }
  try {
    const input = parseInput(method, raw);
    const handler = backend.handlers[method] as (input: ApiParsedInput<M>) => Promise<ApiOutput<M>>;
    return { ok: true, value: await handler(input) };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

/**
 * Trusted = sent by the main window's own web contents, from its top-level frame, while that
 * frame shows the app (the file:// renderer in production, the Vite dev server in development).
 */
export function createSenderCheck(
  getWindow: () => BrowserWindow | null | undefined,
  isAppUrl: (url: string) => boolean,
): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const window = getWindow();
    if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppUrl(frame.url);
  };
}
