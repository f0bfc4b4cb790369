// A small stand-in for the 'electron' module (the Electron binary is not available in tests).
// Use: vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);
// then drive/inspect it through `fake`, and call resetFakeElectron() in beforeEach.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' | 'allow' };
  destroyed = false;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  readonly mainFrame = { url: '', parent: null };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  isDestroyed() {
    return this.destroyed;
  }
}

/** An Electron-style event for will-navigate & co. */
export function navigationEvent(url: string) {
  return { url, defaultPrevented: false, preventDefault: vi.fn(function (this: { defaultPrevented: boolean }) {
    this.defaultPrevented = true;
  }) };
}

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows = () => fake.windows.filter((w) => !w.destroyed);
  readonly webContents = new FakeWebContents();
  destroyed = false;
  loadURL = vi.fn(async (_url: string) => {});
  loadFile = vi.fn(async (_path: string) => {});
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = vi.fn(() => false);
  constructor(readonly options: Record<string, any>) {
    super();
    fake.windows.push(this);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = 4242;
  stdout: PassThrough | null = new PassThrough();
  stderr: PassThrough | null = new PassThrough();
  postMessage = vi.fn();
  kill = vi.fn(() => true);
}

function createFake() {
  const windows: FakeBrowserWindow[] = [];
  const forks: Array<{ modulePath: string; args: string[] | undefined; options: Record<string, any>; child: FakeUtilityProcess }> = [];
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
    /** What the renderer's ipcRenderer.invoke would get. */
    invoke: async (channel: string, event: unknown, ...args: unknown[]) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
    handlers,
  };

  const rendererBus = new EventEmitter();
  const ipcRenderer = {
    invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
    on: vi.fn((channel: string, listener: (...args: any[]) => void) => {
      rendererBus.on(channel, listener);
      return ipcRenderer;
    }),
    removeListener: vi.fn((channel: string, listener: (...args: any[]) => void) => {
      rendererBus.removeListener(channel, listener);
      return ipcRenderer;
    }),
    /** Simulates main's webContents.send reaching this renderer. */
    emitFromMain: (channel: string, ...args: unknown[]) => rendererBus.emit(channel, { sender: ipcRenderer, ports: [] }, ...args),
    listenerCount: (channel: string) => rendererBus.listenerCount(channel),
  };

  const exposed: Record<string, unknown> = {};
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      exposed[key] = api;
    }),
  };

  const webRequest = { onHeadersReceived: vi.fn() };
  const defaultSession = {
    webRequest,
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    getAppPath: vi.fn(() => '/app'),
    getVersion: vi.fn(() => '0.1.0-test'),
    getPath: vi.fn((name: string) => `/user-data/${name}`),
  });

  const dialog = {
    showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
    showErrorBox: vi.fn(),
  };
  const shell = { openExternal: vi.fn(async (_url: string) => {}) };
  const protocolHandlers = new Map<string, (request: { url: string }) => Promise<Response> | Response>();
  const protocol = {
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((scheme: string, handler: (request: { url: string }) => Promise<Response> | Response) => {
      protocolHandlers.set(scheme, handler);
    }),
    /** What the renderer's request for `url` would get. */
    request: async (url: string) => {
      const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
      if (!handler) throw new Error(`no protocol handler for ${url}`);
      return handler({ url });
    },
  };
  const utilityProcess = {
    fork: vi.fn((modulePath: string, args?: string[], options: Record<string, any> = {}) => {
      const child = new FakeUtilityProcess();
      forks.push({ modulePath, args, options, child });
      return child;
    }),
  };

  return { ipcMain, ipcRenderer, contextBridge, exposed, session: { defaultSession }, app, dialog, shell, protocol, utilityProcess, windows, forks };
}

type Fake = ReturnType<typeof createFake>;

// vi.resetModules() re-evaluates this file for the mock factory, so the current fakes live on
// globalThis: the test's copy of this module and the mocked 'electron' always share them.
const store = globalThis as unknown as { __shotglassFakeElectron?: Fake };

/** The current fakes (the mocked module reads them through getters at every access). */
export const fake: Fake = new Proxy({} as Fake, {
  get: (_target, key) => (store.__shotglassFakeElectron ??= createFake())[key as keyof Fake],
});

export function resetFakeElectron(): void {
  store.__shotglassFakeElectron = createFake();
}

export const electronModule = {
  get ipcMain() {
    return fake.ipcMain;
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
  get contextBridge() {
    return fake.contextBridge;
  },
  get session() {
    return fake.session;
  },
  get app() {
    return fake.app;
  },
  get dialog() {
    return fake.dialog;
  },
  get shell() {
    return fake.shell;
  },
  get protocol() {
    return fake.protocol;
  },
  get utilityProcess() {
    return fake.utilityProcess;
  },
  BrowserWindow: FakeBrowserWindow,
};
