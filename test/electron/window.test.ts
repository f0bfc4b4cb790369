import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppUrlMatcher, type AppLocation } from '../../electron/app-url.js';
import {
  createMainWindow,
  hardenWebContents,
  installAppHardening,
  installSessionSecurity,
  loadApp,
} from '../../electron/window.js';
import { fake, FakeWebContents, navigationEvent, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

const INDEX = '/opt/shotglass/renderer/index.html';
const fileLocation: AppLocation = { kind: 'file', indexHtml: INDEX };
const devLocation: AppLocation = { kind: 'dev-server', url: 'http://localhost:5173' };
const APP_URL = pathToFileURL(INDEX).href;

function hardened(location: AppLocation = fileLocation) {
  const contents = new FakeWebContents();
  const openExternal = vi.fn(async (_url: string) => {});
  hardenWebContents(contents as never, createAppUrlMatcher(location), openExternal);
  return { contents, openExternal };
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

function cspFor(location: AppLocation, responseHeaders: Record<string, string[]> = {}) {
  installSessionSecurity(fake.session.defaultSession as never, location);
  const listener = fake.session.defaultSession.webRequest.onHeadersReceived.mock.calls[0]?.[0] as HeadersListener;
  const callback = vi.fn();
  listener({ url: 'file:///opt/shotglass/renderer/index.html', responseHeaders }, callback);
  expect(callback).toHaveBeenCalledTimes(1);
  return callback.mock.calls[0]![0].responseHeaders as Record<string, string[]>;
}

const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(name + ' '));

describe('main window', () => {
  beforeEach(() => resetFakeElectron());

  it('is created with secure webPreferences and the preload', () => {
    createMainWindow({ preloadPath: '/opt/shotglass/.vite/build/preload.js' });
    expect(fake.windows).toHaveLength(1);
    const prefs = fake.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/opt/shotglass/.vite/build/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the dev server URL or the built index.html', async () => {
    const window = createMainWindow({ preloadPath: '/p.js' });
    await loadApp(window, devLocation);
    expect(fake.windows[0]!.loadURL).toHaveBeenCalledWith('http://localhost:5173');
    await loadApp(window, fileLocation);
    expect(fake.windows[0]!.loadFile).toHaveBeenCalledWith(INDEX);
  });
});

describe('web contents hardening', () => {
  beforeEach(() => resetFakeElectron());

  it('denies window.open; only https links go to the system browser', () => {
    const { contents, openExternal } = hardened();
    const open = contents.windowOpenHandler!;
    expect(open({ url: 'https://github.com/ggml-org/llama.cpp' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(open({ url: APP_URL })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://github.com/ggml-org/llama.cpp']]);
  });

  it('prevents navigation away from the app (file:// app)', () => {
    const { contents, openExternal } = hardened();
    const away = navigationEvent('https://evil.example/phish');
    contents.emit('will-navigate', away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://evil.example/phish');

    const otherFile = navigationEvent('file:///etc/passwd');
    contents.emit('will-navigate', otherFile, otherFile.url);
    expect(otherFile.preventDefault).toHaveBeenCalled();
    const traversal = navigationEvent(`${pathToFileURL('/opt/shotglass/renderer').href}/../secret.html`);
    contents.emit('will-navigate', traversal, traversal.url);
    expect(traversal.preventDefault).toHaveBeenCalled();

    const inApp = navigationEvent(`${APP_URL}#/settings`);
    contents.emit('will-navigate', inApp, inApp.url);
    expect(inApp.preventDefault).not.toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('prevents navigation to another origin than the dev server, and redirects away', () => {
    const { contents } = hardened(devLocation);
    const otherPort = navigationEvent('http://localhost:5174/');
    contents.emit('will-navigate', otherPort, otherPort.url);
    expect(otherPort.preventDefault).toHaveBeenCalled();
    const same = navigationEvent('http://localhost:5173/index.html');
    contents.emit('will-navigate', same, same.url);
    expect(same.preventDefault).not.toHaveBeenCalled();

    const redirect = navigationEvent('https://evil.example/');
    contents.emit('will-redirect', redirect, redirect.url);
    expect(redirect.preventDefault).toHaveBeenCalled();
  });

  it('refuses <webview>', () => {
    const { contents } = hardened();
    const event = navigationEvent('');
    contents.emit('will-attach-webview', event, {}, { src: 'https://example.com' });
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('hardens every web contents the app creates', () => {
    installAppHardening(fake.app as never, createAppUrlMatcher(fileLocation));
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const away = navigationEvent('https://example.com');
    contents.emit('will-navigate', away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
  });
});

describe('session security', () => {
  beforeEach(() => resetFakeElectron());

  it('denies every permission request and check', () => {
    installSessionSecurity(fake.session.defaultSession as never, fileLocation);
    const request = fake.session.defaultSession.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      wc: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = fake.session.defaultSession.setPermissionCheckHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(check({}, 'media', APP_URL, {})).toBe(false);
    const device = fake.session.defaultSession.setDevicePermissionHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(device({ deviceType: 'usb' })).toBe(false);
  });

  it('adds a strict CSP header in production, replacing any the response had', () => {
    const headers = cspFor(fileLocation, { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] });
    expect(headers['X-Other']).toEqual(['1']);
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'content-security-policy')).toEqual(['Content-Security-Policy']);
    const csp = headers['Content-Security-Policy']![0]!;
    expect(directive(csp, 'default-src')).toBe("default-src 'self'");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive(csp, 'img-src')).toBe("img-src 'self' data:");
    expect(directive(csp, 'font-src')).toBe("font-src 'self' data:");
    expect(directive(csp, 'worker-src')).toBe("worker-src 'self' blob:");
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
  });

  it('allows the dev server (and its HMR socket) in development', () => {
    const csp = cspFor(devLocation)['Content-Security-Policy']![0]!;
    expect(directive(csp, 'default-src')).toBe("default-src 'self'");
    expect(directive(csp, 'script-src')).toContain('http://localhost:5173');
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' http://localhost:5173 ws://localhost:5173");
  });
});
