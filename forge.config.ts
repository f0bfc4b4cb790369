// Electron Forge: `electron-forge start` (dev, with the renderer's Vite dev server) and
// `electron-forge package` (a runnable app in out/). Installers are made by electron-builder
// (electron-builder.yml) from the same .vite/ output, so no makers are configured here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { packagerIgnore, prunePlatformBinaries, runtimePackageDirs } from './build/electron/runtime-deps';

const projectDir = __dirname;
// Icons are optional: resources/build/icon.{icns,ico,png} (also electron-builder's buildResources).
const iconBase = join(projectDir, 'resources', 'build', 'icon');
const hasIcon = ['.icns', '.ico', '.png'].some((ext) => existsSync(iconBase + ext));

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Shotglass',
    executableName: 'shotglass',
    appBundleId: 'dev.shotglass.app',
    appCategoryType: 'public.app-category.developer-tools',
    // Native binaries cannot be loaded from inside app.asar: unpack node-llama-cpp and its
    // per-platform @node-llama-cpp/* packages to app.asar.unpacked (node-llama-cpp maps its own
    // paths there).
    asar: { unpack: '**/node_modules/{node-llama-cpp,@node-llama-cpp,better-sqlite3}/**' },
    // resources/models -> <Resources>/models/shotglass-demo.gguf (see electron/shell/paths.ts).
    extraResource: ['resources/models'],
    ...(hasIcon ? { icon: iconBase } : {}),
    // The Vite plugin's default ignore keeps only .vite/, dropping node_modules entirely; but
    // node-llama-cpp and ws are external to the bundles (vite.main/host configs), so keep them
    // and their dependency closure (and dist/renderer, where vite.renderer.config.ts's outDir
    // puts the UI). A function `ignore` also stops the plugin from replacing it.
    ignore: packagerIgnore(runtimePackageDirs(projectDir)),
  },
  rebuildConfig: {
    // node-llama-cpp ships prebuilt Node-API binaries (ABI-stable, fine in Electron): never rebuild
    // it. better-sqlite3 is built against one Node ABI and must be rebuilt for Electron's.
    onlyModules: ['better-sqlite3'],
  },
  hooks: {
    // Only the target's own llama.cpp binaries ship (npm installs several per OS).
    packageAfterPrune: async (_forgeConfig, buildPath, _electronVersion, platform, arch) => {
      prunePlatformBinaries(buildPath, platform, arch);
    },
  },
  makers: [],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
        // The inference host, forked by main with utilityProcess from .vite/build/host.js.
        { entry: 'electron/host/main.ts', config: 'vite.host.config.ts', target: 'main' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    // Flipped at package time, before signing.
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    }),
  ],
};

export default config;
