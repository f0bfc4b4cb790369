// Where the desktop app finds its pieces, in development (`electron-forge start`) and packaged.
// Pure: every input is a parameter, so the rules are unit-tested without Electron.
import { join } from 'node:path';
import type { AppLocation } from './app-url.js';

export const DEMO_MODEL_FILE = 'shotglass-demo.gguf';

export interface ShellEnvironment {
  /** Directory of the built main bundle (`__dirname` of .vite/build/main.js). */
  buildDir: string;
  /** app.getAppPath(): the project root in development, `.../resources/app.asar` packaged. */
  appPath: string;
  /** process.resourcesPath: where forge `extraResource` / electron-builder `extraResources` land. */
  resourcesPath: string;
  isPackaged: boolean;
  /** forge's MAIN_WINDOW_VITE_DEV_SERVER_URL, when `electron-forge start` serves the renderer. */
  devServerUrl?: string;
  /** forge's MAIN_WINDOW_VITE_NAME ('main_window'). */
  rendererName?: string;
  exists(path: string): boolean;
}

/** The preload and inference host are built next to main.js by the forge Vite plugin. */
export const preloadPath = (env: Pick<ShellEnvironment, 'buildDir'>) => join(env.buildDir, 'preload.js');
export const hostEntryPath = (env: Pick<ShellEnvironment, 'buildDir'>) => join(env.buildDir, 'host.js');

/** resources/models/shotglass-demo.gguf: in the project in development, in Resources packaged. */
export function demoModelPath(env: Pick<ShellEnvironment, 'appPath' | 'resourcesPath' | 'isPackaged'>): string {
  return env.isPackaged
    ? join(env.resourcesPath, 'models', DEMO_MODEL_FILE)
    : join(env.appPath, 'resources', 'models', DEMO_MODEL_FILE);
}

/**
 * Where the built renderer's index.html may be, in order: forge's own output
 * (.vite/renderer/<name>, next to .vite/build) and the renderer config's standalone output
 * (dist/renderer, from `npm run build:renderer`, which also wins if the renderer config's outDir
 * overrides forge's).
 */
export function rendererIndexCandidates(env: Pick<ShellEnvironment, 'buildDir' | 'appPath' | 'rendererName'>): string[] {
  return [
    join(env.buildDir, '..', 'renderer', env.rendererName ?? 'main_window', 'index.html'),
    join(env.appPath, 'dist', 'renderer', 'index.html'),
  ];
}

/** The dev server when there is one; otherwise the first built index.html that exists. */
export function resolveAppLocation(env: ShellEnvironment): AppLocation {
  if (env.devServerUrl) return { kind: 'dev-server', url: env.devServerUrl };
  const candidates = rendererIndexCandidates(env);
  const indexHtml = candidates.find((candidate) => env.exists(candidate));
  if (!indexHtml) {
    throw new Error(`The Shotglass interface is missing; looked for:\n${candidates.join('\n')}`);
  }
  return { kind: 'file', indexHtml };
}
