// Electron main process: one instance, one window, the backend behind IPC, the inference host in
// a utilityProcess. Kept thin; the parts with rules live in ipc.ts, window.ts, utility-host.ts and
// electron/ (all unit-tested with Electron mocked).
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { app, BrowserWindow, dialog, protocol, session, type OpenDialogOptions } from 'electron';
import { handleAppProtocol, registerAppScheme } from './app-protocol.js';
import { createService } from '../service/service.js';
import type { Service } from '../service/types.js';
import { createSenderCheck, registerIpc } from './ipc.js';
import { buildCsp, createAppUrlMatcher } from './app-url.js';
import { demoModelPath, hostEntryPath, preloadPath, resolveAppLocation, type ShellEnvironment } from './paths.js';
import { spawnUtilityHost } from './utility-host.js';
import { createMainWindow, installAppHardening, installSessionSecurity, loadApp } from './window.js';

// Replaced at build time by @electron-forge/plugin-vite (`define`); the dev server URL only
// exists under `electron-forge start`. `typeof` keeps this safe if a define is ever missing.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string | undefined;

const DISPOSE_TIMEOUT_MS = 3000;

function shellEnvironment(): ShellEnvironment {
  return {
    buildDir: __dirname,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    isPackaged: app.isPackaged,
    devServerUrl:
      typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' && MAIN_WINDOW_VITE_DEV_SERVER_URL
        ? MAIN_WINDOW_VITE_DEV_SERVER_URL
        : undefined,
    rendererName: typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : undefined,
    exists: existsSync,
  };
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error('shotglass: fatal', error);
  dialog.showErrorBox('Shotglass could not start', message);
  app.exit(1);
}

function main(): void {
  // Every renderer sandboxed, whatever a webPreferences says.
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  // Before 'ready': the renderer's own origin, app://shotglass (see app-protocol.ts).
  registerAppScheme(protocol);

  const env = shellEnvironment();
  const location = resolveAppLocation(env);
  const isAppUrl = createAppUrlMatcher(location);
  installAppHardening(app, isAppUrl);

  let window: BrowserWindow | null = null;
  let backend: Service | null = null;

  const openWindow = () => {
    const created = createMainWindow({ preloadPath: preloadPath(env) });
    created.on('closed', () => {
      if (window === created) window = null;
    });
    window = created;
    loadApp(created, location).catch((error: unknown) => console.error('shotglass: could not load the interface', error));
  };

  const pickModelFile = async (): Promise<string | null> => {
    const options: OpenDialogOptions = {
      title: 'Open a GGUF model',
      properties: ['openFile'],
      filters: [
        { name: 'GGUF models', extensions: ['gguf'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(() => {
      installSessionSecurity(session.defaultSession, location);
      if (location.kind === 'file') handleAppProtocol(protocol, dirname(location.indexHtml), buildCsp(location));
      backend = createService({
        mode: 'electron',
        spawnHost: spawnUtilityHost(hostEntryPath(env), { echo: !app.isPackaged }),
        demoModelPath: demoModelPath(env),
        pickModelFile,
        version: app.getVersion(),
        dataDir: app.getPath('userData'),
      });
      registerIpc(backend, {
        isTrustedSender: createSenderCheck(() => window, isAppUrl),
        eventTarget: () => window?.webContents,
      });
      openWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
    })
    .catch(fail);

  // Stop the inference host (and any run) before quitting: hold the quit until dispose settles.
  let disposed = false;
  let disposing = false;
  app.on('before-quit', (event) => {
    if (disposed || !backend) return;
    event.preventDefault();
    if (disposing) return;
    disposing = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS));
    Promise.race([backend.dispose(), timeout])
      .catch((error: unknown) => console.error('shotglass: dispose failed', error))
      .finally(() => {
        disposed = true;
        app.quit();
      });
  });
}

try {
  main();
} catch (error) {
  // Before 'ready' a dialog cannot show on every platform; showErrorBox is the one that can.
  fail(error);
}
