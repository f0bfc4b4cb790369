// Shared Vite settings for the Node-side bundles forge builds (main and inference host).
// The forge Vite plugin supplies the rest (lib mode, CJS, .vite/build, node builtins + electron
// external); these settings are merged over it.
import type { UserConfig } from 'vite';

/**
 * Never bundled, loaded from node_modules at run time:
 * - node-llama-cpp (+ its per-platform @node-llama-cpp/* binaries): ESM-only, native, and must sit
 *   unpacked next to its binaries; the host loads it with a real `import()`.
 * - ws and its optional native helpers.
 * - better-sqlite3 (the run history): a native addon, rebuilt for Electron's ABI at packaging.
 * The packaging side of this list is electron/shell/runtime-deps.ts (forge) and
 * electron-builder.yml's production dependencies.
 */
export const NODE_EXTERNALS: Array<string | RegExp> = [
  /^node-llama-cpp(\/.*)?$/,
  /^@node-llama-cpp\//,
  /^ws(\/.*)?$/,
  /^better-sqlite3(\/.*)?$/,
  'bufferutil',
  'utf-8-validate',
];

export function nodeBundleConfig(): UserConfig {
  return {
    build: {
      // Electron 41's Node is 22+.
      target: 'node22',
      rolldownOptions: {
        external: NODE_EXTERNALS,
        output: {
          // Keep `import('node-llama-cpp')` an import() in the CJS bundle (not require(), which
          // cannot load an ESM package that uses top-level await).
          dynamicImportInCjs: true,
          // One file per entry: main.js / host.js, no shared chunks to collide in .vite/build.
          codeSplitting: false,
        },
      },
    },
  };
}
