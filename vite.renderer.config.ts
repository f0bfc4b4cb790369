// The renderer bundle: one static page that works from file:// (Electron) and from the
// browser-mode server at / alike, hence relative asset URLs.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { PRODUCTION_CSP_META } from './core/security/csp';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** `vite dev` only: where a running browser-mode backend listens, for /api and its WebSocket. */
const backend = process.env.SHOTGLASS_BACKEND_URL;

/**
 * The built page carries the production CSP as a meta tag too (Electron may not apply response
 * headers to file:// pages). Build only: the dev server's React refresh preamble is an inline script.
 */
const cspMeta: Plugin = {
  name: 'shotglass-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: PRODUCTION_CSP_META }, injectTo: 'head-prepend' },
  ],
};

export default defineConfig({
  root: fromRoot('./renderer'),
  base: './',
  plugins: [react(), cspMeta],
  build: {
    outDir: fromRoot('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Monaco (~3 MB minified with suggest and hover) is its own chunk, loaded by the template
    // fields after the first screen (components/LazyEditors.tsx); so is the Compare view. Parsing
    // Monaco took about 1.4 s of a 2-core machine's page load when it was in the app chunk.
    chunkSizeWarningLimit: 3200,
    reportCompressedSize: true,
  },
  worker: {
    format: 'es',
  },
  server: backend ? { proxy: { '/api': { target: backend, ws: true, changeOrigin: true } } } : {},
});
