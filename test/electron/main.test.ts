import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiHandlers, ServiceEvent } from '../../core/api/contract.js';
import { API_METHODS, ipcChannel } from '../../core/api/methods.js';
import type { Service, ServiceOptions } from '../../service/types.js';
import { fake, navigationEvent, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

const created: { options?: ServiceOptions; backend?: Service & { dispose: ReturnType<typeof vi.fn> } } = {};
vi.mock('../../service/service.js', () => ({
  createService: (options: ServiceOptions) => {
    const listeners = new Set<(event: ServiceEvent) => void>();
    const backend = {
      handlers: Object.fromEntries(API_METHODS.map((m) => [m, async () => ({ method: m })])) as unknown as ApiHandlers,
      api: {} as Service['api'],
      onEvent: (listener: (event: ServiceEvent) => void) => (listeners.add(listener), () => listeners.delete(listener)),
      host: { pid: undefined, kill: vi.fn() },
      dispose: vi.fn(async () => {}),
    };
    created.options = options;
    created.backend = backend;
    return backend;
  },
}));

// A project root with a built renderer (dist/renderer), as app.getAppPath() in development.
const root = mkdtempSync(join(tmpdir(), 'shotglass-main-'));
mkdirSync(join(root, 'dist', 'renderer'), { recursive: true });
writeFileSync(join(root, 'dist', 'renderer', 'index.html'), '<!doctype html>');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function boot(configure: () => void = () => {}) {
  resetFakeElectron();
  fake.app.getAppPath.mockReturnValue(root);
  configure();
  created.options = undefined;
  created.backend = undefined;
  vi.resetModules();
  await import('../../electron/main.js');
  await vi.waitFor(() => expect(fake.windows.length).toBeGreaterThan(0));
}

describe('main process', () => {
  beforeEach(() => vi.restoreAllMocks());

  it('quits at once when another instance holds the lock', async () => {
    resetFakeElectron();
    fake.app.requestSingleInstanceLock.mockReturnValue(false);
    vi.resetModules();
    await import('../../electron/main.js');
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('starts sandboxed, wires backend, IPC, session and window', async () => {
    await boot();
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(created.options).toMatchObject({
      mode: 'electron',
      version: '0.1.0-test',
      demoModelPath: join(root, 'resources', 'models', 'shotglass-demo.gguf'),
    });
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map(ipcChannel).sort());
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(fake.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    const window = fake.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(window.options.webPreferences.preload).toMatch(/preload\.js$/);
    expect(window.loadFile).toHaveBeenCalledWith(join(root, 'dist', 'renderer', 'index.html'));

    // The utility host is forked lazily by the backend, from host.js next to main.js.
    created.options!.spawnHost();
    expect(fake.forks[0]!.modulePath).toMatch(/host\.js$/);

    // IPC from the window's own page reaches the backend; web contents get hardened.
    const trusted = { sender: window.webContents, senderFrame: { url: `file://${join(root, 'dist', 'renderer', 'index.html')}`, parent: null } };
    await expect(fake.ipcMain.invoke(ipcChannel('listModels'), trusted, {})).resolves.toEqual({ ok: true, value: { method: 'listModels' } });
    fake.app.emit('web-contents-created', {}, window.webContents);
    const away = navigationEvent('https://example.com/');
    window.webContents.emit('will-navigate', away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
  });

  it('loads the dev server when forge provides one', async () => {
    (globalThis as Record<string, unknown>).MAIN_WINDOW_VITE_DEV_SERVER_URL = 'http://localhost:5173';
    try {
      await boot();
      expect(fake.windows[0]!.loadURL).toHaveBeenCalledWith('http://localhost:5173');
    } finally {
      delete (globalThis as Record<string, unknown>).MAIN_WINDOW_VITE_DEV_SERVER_URL;
    }
  });

  it('picks a model file with a GGUF filter, null when cancelled', async () => {
    await boot();
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/models/a.gguf'] });
    await expect(created.options!.pickModelFile!()).resolves.toBe('/models/a.gguf');
    const options = fake.dialog.showOpenDialog.mock.calls[0]!.at(-1) as { filters: Array<{ extensions: string[] }> };
    expect(options.filters[0]!.extensions).toEqual(['gguf']);
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(created.options!.pickModelFile!()).resolves.toBeNull();
  });

  it('holds the quit until the backend is disposed', async () => {
    await boot();
    let finish!: () => void;
    created.backend!.dispose.mockReturnValueOnce(new Promise<void>((r) => (finish = r)));
    const quitEvent = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    expect(created.backend!.dispose).toHaveBeenCalledTimes(1);
    fake.app.emit('before-quit', { preventDefault: vi.fn() }); // a second quit while disposing
    expect(created.backend!.dispose).toHaveBeenCalledTimes(1);
    expect(fake.app.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(1));
    const again = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('shows an error and exits when the interface is missing', async () => {
    resetFakeElectron();
    fake.app.getAppPath.mockReturnValue(join(root, 'nowhere'));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.resetModules();
    await import('../../electron/main.js');
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith('Shotglass could not start', expect.stringContaining('missing'));
    expect(fake.app.exit).toHaveBeenCalledWith(1);
  });
});
