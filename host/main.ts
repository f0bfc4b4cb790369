// Entry of the inference host process. It speaks the host protocol over Electron's parentPort
// (utilityProcess) or Node's IPC channel (child_process.fork) and nothing else.
import { toApiError } from '../core/api/contract.js';
import { Engine } from './engine.js';
import type { HostCalls, HostEvent, HostMethod, HostToMain, MainToHost } from './protocol.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: HostToMain): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

// Events go out in batches of up to 2 ms: parallel runs each emit a token per step, and on a small
// model tokens come faster than one IPC message each is worth. A run's result follows its events.
const EVENT_BATCH_MS = 2;
let pending: HostEvent[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
function flushEvents(): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (!pending.length) return;
  const events = pending;
  pending = [];
  post({ kind: 'events', events });
}

function send(message: HostToMain): void {
  flushEvents();
  post(message);
}

function onMessage(listener: (message: MainToHost) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data as MainToHost));
  else process.on('message', (message) => listener(message as MainToHost));
}

const emit = (event: HostEvent) => {
  pending.push(event);
  flushTimer ??= setTimeout(flushEvents, EVENT_BATCH_MS);
};
const engine = new Engine();

// Injected faults for tests of crash handling (a user never sets these).
const fault = process.env.SHOTGLASS_HOST_FAULT;

type Handlers = { [M in HostMethod]: (params: HostCalls[M]['params']) => Promise<HostCalls[M]['result']> | HostCalls[M]['result'] };

const handlers: Handlers = {
  ping: () => ({ pid: process.pid }),
  systemInfo: () => engine.systemInfo(),
  inspect: (p) => engine.inspect(p.path, p.placement),
  loadModel: (p) => {
    if (fault === 'abort-on-load') process.abort();
    return engine.loadModel(p, (progress) => emit({ type: 'loadProgress', key: p.key, progress }));
  },
  unloadModel: async (p) => ({ unloaded: await engine.unloadModel(p.key) }),
  setAdapters: (p) => engine.setAdapters(p.key, p.adapters),
  render: (p) => engine.render(p.key, p.input),
  complete: (p) =>
    engine.complete(
      p,
      (text, steps) => {
        emit({ type: 'token', runId: p.runId, text, steps });
        if (fault === 'abort-after-tokens') {
          flushEvents();
          process.abort();
        }
      },
      (state) => emit({ type: 'runState', runId: p.runId, state }),
    ),
  score: (p) => engine.score(p),
  cancel: (p) => ({ cancelled: engine.cancel(p.runId) }),
  tokenize: (p) => engine.tokenize(p.key, p.text),
  detokenize: (p) => engine.detokenize(p.key, p.ids),
};

onMessage((message) => {
  if (message?.kind !== 'call') return;
  const handler = handlers[message.method] as (params: unknown) => unknown;
  Promise.resolve()
    .then(() => handler(message.params))
    .then(
      (value) => send({ kind: 'result', id: message.id, ok: true, value }),
      (error: unknown) => send({ kind: 'result', id: message.id, ok: false, error: toApiError(error) }),
    );
});

// Without a parent there is nobody to serve: exit rather than linger as an orphan.
if (!parentPort) process.on('disconnect', () => process.exit(0));
send({ kind: 'ready', pid: process.pid });
