// Entry of the inference host process. It speaks the host protocol over Electron's parentPort
// (utilityProcess) or Node's IPC channel (child_process.fork) and nothing else.
import { toApiError } from '../api/contract.js';
import { Engine } from './engine.js';
import type { CompleteParams, HostEvent, HostToMain, LoadParams, MainToHost } from './protocol.js';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: HostToMain): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: MainToHost) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data as MainToHost));
  else process.on('message', (message) => listener(message as MainToHost));
}

const emit = (event: HostEvent) => send({ kind: 'event', event });
const engine = new Engine();

// Injected faults for tests of crash handling (a user never sets these).
const fault = process.env.SHOTGLASS_HOST_FAULT;

async function handle(message: MainToHost): Promise<unknown> {
  const params = message.params as never;
  switch (message.method) {
    case 'ping':
      return { pid: process.pid };
    case 'loadModel': {
      const p = params as LoadParams;
      if (fault === 'abort-on-load') process.abort();
      return engine.loadModel(p, (progress) => emit({ type: 'loadProgress', key: p.key, progress }));
    }
    case 'unloadModel':
      return { unloaded: await engine.unloadModel((params as { key: string }).key) };
    case 'complete': {
      const p = params as CompleteParams;
      return engine.complete(p, (text, tokens) => {
        emit({ type: 'token', runId: p.runId, text, tokens });
        if (fault === 'abort-after-tokens') process.abort();
      });
    }
    case 'cancel':
      return { cancelled: engine.cancel((params as { runId: string }).runId) };
    case 'tokenize': {
      const p = params as { key: string; text: string };
      return engine.tokenize(p.key, p.text);
    }
    case 'detokenize': {
      const p = params as { key: string; ids: number[] };
      return engine.detokenize(p.key, p.ids);
    }
  }
}

onMessage((message) => {
  if (message?.kind !== 'call') return;
  handle(message).then(
    (value) => send({ kind: 'result', id: message.id, ok: true, value }),
    (error: unknown) => send({ kind: 'result', id: message.id, ok: false, error: toApiError(error) }),
  );
});

// Without a parent there is nobody to serve: exit rather than linger as an orphan.
if (!parentPort) process.on('disconnect', () => process.exit(0));
send({ kind: 'ready', pid: process.pid });
