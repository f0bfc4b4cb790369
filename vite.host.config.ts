// Inference host bundle (.vite/build/host.js, forked by main with utilityProcess). Built as a
// forge "main" target; its entry is electron/host/main.ts, whose default file name would be
// main.js and overwrite the main process bundle, hence the explicit lib file name.
import { defineConfig, mergeConfig, type ConfigEnv } from 'vite';
import { nodeBundleConfig } from './build/electron/vite-node';

const HOST_ENTRY = 'electron/host/main.ts';

export default defineConfig((env: ConfigEnv) => {
  // forge passes its build entry as `forgeConfigSelf` (see @electron-forge/plugin-vite/forge-vite-env.d.ts).
  const forgeEntry = (env as ConfigEnv & { forgeConfigSelf?: { entry?: string } }).forgeConfigSelf?.entry;
  return mergeConfig(nodeBundleConfig(), {
    build: {
      lib: {
        entry: forgeEntry ?? HOST_ENTRY,
        formats: ['cjs'],
        fileName: () => 'host.js',
      },
    },
  });
});
