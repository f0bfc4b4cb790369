// `npm run build`: the Node bundles (dist/node: CLI, browser-mode server, inference host) and the
// renderer (dist/renderer). Run by `npm install`, `npm start` (browser mode) and `npm test`.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { buildNode } from './build-node.mjs';

export async function buildAll() {
  await buildNode();
  await build({ configFile: fileURLToPath(new URL('../vite.renderer.config.ts', import.meta.url)), logLevel: 'warn' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildAll();
