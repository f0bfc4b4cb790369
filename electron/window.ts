// The app window and the hardening around it: secure webPreferences, a CSP on every response,
// no permissions, no new windows, no navigation away from the app, no <webview>.
import { BrowserWindow, shell, type App, type Session, type WebContents, type WebPreferences } from 'electron';
import { buildCsp, isSafeExternalUrl, type AppLocation } from './app-url.js';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // Prompts are for local models: do not send them to a spelling service or fetch dictionaries.
    spellcheck: false,
  };
}

export function createMainWindow(options: { preloadPath: string }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    title: 'Shotglass',
    show: false,
    backgroundColor: '#16161a',
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

export function loadApp(window: BrowserWindow, location: AppLocation): Promise<void> {
  return location.kind === 'dev-server' ? window.loadURL(location.url) : window.loadFile(location.indexHtml);
}

/** CSP header on every response, and every permission (request, check, device) refused. */
export function installSessionSecurity(session: Session, location: AppLocation): void {
  const csp = buildCsp(location);
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Ours replaces any policy the response brought (whatever the header's case).
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [csp];
    callback({ responseHeaders });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

type OpenExternal = (url: string) => Promise<void>;

const openInBrowser: OpenExternal = (url) => shell.openExternal(url);

/**
 * Applied to every web contents the app creates (see installAppHardening): <webview> refused,
 * window.open denied (https links go to the system browser instead), navigation and redirects
 * away from the app prevented.
 */
export function hardenWebContents(
  contents: WebContents,
  isAppUrl: (url: string) => boolean,
  openExternal: OpenExternal = openInBrowser,
): void {
  const openOutside = (url: string) => {
    if (!isSafeExternalUrl(url)) return;
    openExternal(url).catch((error: unknown) => console.error('shotglass: could not open', url, error));
  };

  contents.on('will-attach-webview', (event) => event.preventDefault());

  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });

  contents.on('will-navigate', (event, legacyUrl) => {
    const url = event.url ?? legacyUrl;
    if (isAppUrl(url)) return;
    event.preventDefault();
    openOutside(url);
  });

  contents.on('will-redirect', (event, legacyUrl) => {
    const url = event.url ?? legacyUrl;
    if (!isAppUrl(url)) event.preventDefault();
  });
}

export function installAppHardening(app: App, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
}
