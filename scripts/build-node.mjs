// Bundles the Node-side entry points (browser-mode server, CLI, inference host) into dist/node.
// node-llama-cpp and other packages stay external: they are installed, never bundled.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildNode() {
  await build({
    absWorkingDir: root,
    entryPoints: {
      server: 'apps/web/main.ts',
      cli: 'apps/cli/main.ts',
      host: 'host/main.ts',
    },
    outdir: 'dist/node',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildNode();
