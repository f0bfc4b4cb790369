// Preload bundle (.vite/build/preload.js). forge's preload config already emits one CJS file with
// electron external; this adds a guard: a sandboxed preload can require nothing but 'electron'
// (and a few polyfilled modules), so the build fails if anything else, zod included, gets in.
import { defineConfig, type Plugin } from 'vite';

const ALLOWED_BARE_IMPORTS = new Set(['electron', 'electron/renderer', 'electron/common']);

function sandboxedPreloadGuard(): Plugin {
  return {
    name: 'shotglass:sandboxed-preload-guard',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null; // the entry itself
      if (source.startsWith('.') || source.startsWith('/') || source.startsWith('\0') || /^[A-Za-z]:[\\/]/.test(source)) {
        return null;
      }
      if (ALLOWED_BARE_IMPORTS.has(source)) return null;
      this.error(
        `The preload runs sandboxed and may only import 'electron' and project files; ` +
          `'${source}' (imported by ${importer}) must not be bundled into it. Use \`import type\` for contract types.`,
      );
    },
  };
}

export default defineConfig({
  plugins: [sandboxedPreloadGuard()],
});
