// The renderer bundle: one static page that works from file:// (Electron) and from the
// browser-mode server at / alike, hence relative asset URLs.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** `vite dev` only: where a running browser-mode backend listens, for /api and its WebSocket. */
const backend = process.env.SHOTGLASS_BACKEND_URL;

export default defineConfig({
  root: fromRoot('./renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: fromRoot('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Monaco (~2.7 MB minified) is bundled into the app chunk on purpose: a local app pays no
    // download, and the editor must be ready with the first screen.
    chunkSizeWarningLimit: 3500,
    reportCompressedSize: true,
  },
  worker: {
    format: 'es',
  },
  server: backend ? { proxy: { '/api': { target: backend, ws: true, changeOrigin: true } } } : {},
});
