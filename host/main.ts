// Entry of the inference host process, and of its chat-template worker threads: the same file
// serves both, so the bundlers (esbuild for Node, Vite for Electron) need no second entry.
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { startHostProcess } from './host-process.js';
import { serveRenderWorker, setRenderWorkerEntry } from './jinja-sandbox.js';

declare const __filename: string | undefined;

if (isMainThread) {
  // CJS (Electron's Vite bundle) has __filename; the ESM bundle (dist/node/host.mjs) has import.meta.url.
  setRenderWorkerEntry(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
  startHostProcess();
} else {
  serveRenderWorker();
}
