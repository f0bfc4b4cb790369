// The renderer's only way to the backend: the same typed API over Electron IPC (window.shotglass)
// or, in browser mode, over HTTP + WebSocket on the server that served this page.
import type { ApiErrorData, ServiceEvent, Envelope, ShotglassApi, ShotglassBridge } from '../../../core/api/contract';
import { API_METHODS, type ApiMethod } from '../../../core/api/methods';

declare global {
  interface Window {
    shotglass?: ShotglassBridge;
  }
}

export class BackendError extends Error {
  readonly code: ApiErrorData['code'];
  constructor(data: ApiErrorData) {
    super(data.message);
    this.code = data.code;
    this.name = 'BackendError';
  }
}

function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new BackendError(envelope.error);
}

type Caller = (method: ApiMethod, input: unknown) => Promise<Envelope<unknown>>;

function buildApi(call: Caller, onEvent: ShotglassApi['onEvent']): ShotglassApi {
  const api = { onEvent } as Record<string, unknown>;
  for (const method of API_METHODS) {
    api[method] = async (input: unknown) => unwrap(await call(method, input));
  }
  return api as ShotglassApi;
}

export function createIpcApi(bridge: ShotglassBridge): ShotglassApi {
  return buildApi(
    (method, input) => (bridge[method] as (i: unknown) => Promise<Envelope<unknown>>)(input),
    (listener) => bridge.onEvent(listener),
  );
}

export function createHttpApi(base = ''): ShotglassApi {
  const listeners = new Set<(event: ServiceEvent) => void>();
  let socket: WebSocket | undefined;
  let retry = 250;
  const connect = () => {
    const url = new URL(`${base}/api/events`, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onopen = () => (retry = 250);
    socket.onmessage = (message) => {
      // The server sends batches: an array of events per frame.
      const events = JSON.parse(String(message.data)) as ServiceEvent[];
      for (const event of events) for (const listener of listeners) listener(event);
    };
    socket.onclose = () => {
      socket = undefined;
      if (listeners.size) setTimeout(connect, (retry = Math.min(retry * 2, 4000)));
    };
  };
  const call: Caller = async (method, input) => {
    let response: Response;
    try {
      response = await fetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return { ok: false, error: { code: 'internal', message: 'Cannot reach the Shotglass server. Is it still running?' } };
    }
    return (await response.json()) as Envelope<unknown>;
  };
  return buildApi(call, (listener) => {
    listeners.add(listener);
    if (!socket) connect();
    return () => listeners.delete(listener);
  });
}

/** Electron when the preload bridge is present, browser mode otherwise. */
export function createApi(): ShotglassApi {
  return window.shotglass ? createIpcApi(window.shotglass) : createHttpApi();
}
