// Electron main process bundle (.vite/build/main.js). Merged by @electron-forge/plugin-vite over
// its own main config (lib mode, CJS, node builtins + electron external, the renderer defines).
import { defineConfig } from 'vite';
import { nodeBundleConfig } from './build/electron/vite-node';

export default defineConfig(nodeBundleConfig());
