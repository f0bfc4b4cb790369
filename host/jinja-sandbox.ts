// Chat templates run in a worker thread with a deadline and a heap cap. A template comes from a
// GGUF file or the user, and Jinja has loops: `{% for i in range(20000) %}{% for j in range(20000) %}`
// would otherwise hold the inference process's only thread for hours, so Stop, tokenize and every
// other run would wait behind it. A worker can be terminated mid-loop (V8 interrupts it); the
// main thread never runs template code. One worker is kept warm and replaced after a timeout.
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { Template } from '@huggingface/jinja';
import { ApiError } from '../core/api/contract.js';

/** How long one render (the prompt and its end-of-turn probe) may take. */
export const RENDER_TIMEOUT_MS = Number(process.env.SHOTGLASS_RENDER_TIMEOUT_MS) || 3000;
/** The largest text a render may produce (characters). */
export const MAX_RENDERED_CHARS = 4_000_000;
const WORKER_HEAP_MB = 256;

export interface RenderRequest {
  template: string;
  /** the variables of each render, e.g. [the prompt, the end-of-turn probe] */
  contexts: Record<string, unknown>[];
}

type WorkerReply = { id: number; ok: true; texts: string[] } | { id: number; ok: false; message: string };

/** The code a render worker runs (the host entry calls it when it starts as a worker). */
export function serveRenderWorker(): void {
  if (isMainThread || !parentPort) return;
  const port = parentPort;
  port.on('message', ({ id, template, contexts }: RenderRequest & { id: number }) => {
    try {
      const jinja = new Template(template);
      const texts: string[] = [];
      for (const context of contexts) {
        const text = jinja.render(context);
        if (text.length > MAX_RENDERED_CHARS) throw new Error(`it produced more than ${MAX_RENDERED_CHARS.toLocaleString('en')} characters`);
        texts.push(text);
      }
      port.postMessage({ id, ok: true, texts } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ id, ok: false, message: (error as Error)?.message ?? String(error) } satisfies WorkerReply);
    }
  });
}

let entry: string | URL | undefined;
/** The file a worker starts from: the host bundle itself (see host/main.ts). */
export function setRenderWorkerEntry(file: string | URL): void {
  entry = file;
}

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { worker: Worker; resolve: (texts: string[]) => void; reject: (error: Error) => void }>();

/** Fail the renders a worker had (only that worker's: a fresh one may already be serving others). */
function failAll(of: Worker, error: Error): void {
  for (const [id, w] of waiting) {
    if (w.worker !== of) continue;
    waiting.delete(id);
    w.reject(error);
  }
}

function ensureWorker(): Worker {
  if (worker) return worker;
  if (!entry) throw new ApiError('internal', 'the chat template sandbox has no entry file');
  const w = new Worker(entry, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, stdout: true, stderr: true });
  w.unref();
  w.on('message', (reply: WorkerReply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.ok) pending.resolve(reply.texts);
    else pending.reject(new ApiError('invalid-argument', `the chat template could not be rendered: ${reply.message}`));
  });
  w.on('error', (error) => {
    if (worker === w) worker = undefined;
    const oom = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    failAll(
      w,
      new ApiError(
        'invalid-argument',
        oom
          ? `the chat template could not be rendered: it needed more than ${WORKER_HEAP_MB} MB of memory`
          : 'the chat template could not be rendered: its renderer stopped',
      ),
    );
  });
  w.on('exit', () => {
    if (worker === w) worker = undefined;
    failAll(w, new ApiError('invalid-argument', 'the chat template could not be rendered: its renderer stopped'));
  });
  worker = w;
  return w;
}

/** Render a template once per context, in the sandbox; a clear ApiError on timeout, size or syntax. */
export function renderInSandbox(request: RenderRequest, timeoutMs = RENDER_TIMEOUT_MS): Promise<string[]> {
  const w = ensureWorker();
  const id = nextId++;
  return new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (!waiting.has(id)) return;
      waiting.delete(id);
      // Terminate the stuck worker; the next render starts a fresh one.
      if (worker === w) worker = undefined;
      void w.terminate();
      reject(
        new ApiError(
          'invalid-argument',
          `the chat template took longer than ${(timeoutMs / 1000).toLocaleString('en')} s to render and was stopped (a loop too large?)`,
        ),
      );
    }, timeoutMs);
    waiting.set(id, {
      worker: w,
      resolve: (texts) => {
        clearTimeout(timer);
        resolve(texts);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    w.postMessage({ id, ...request });
  });
}
