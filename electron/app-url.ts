// Where the app's own page lives, and the rules derived from it: which URLs count as "the app"
// (for navigation and IPC sender checks) and the Content-Security-Policy served to it.
// Pure Node: no Electron import, so it is unit-testable and shared by window.ts, ipc.ts, main.ts.
import { dirname, resolve, sep } from 'node:path';

export type AppLocation =
  /** Development: the renderer's Vite dev server (forge's MAIN_WINDOW_VITE_DEV_SERVER_URL). */
  | { kind: 'dev-server'; url: string }
  /**
   * Production: the built renderer's index.html on disk, served over the app's own `app://`
   * protocol (see app-protocol.ts), never file:// (which would give the page the whole disk).
   */
  | { kind: 'file'; indexHtml: string };

/** The app's own scheme and origin in production. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'shotglass';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * A predicate telling whether a URL belongs to the app: same origin as the dev server, or the
 * app:// origin (its protocol handler confines every path to the renderer's folder). Anything
 * unparsable, file:// included, is not the app.
 */
export function createAppUrlMatcher(location: AppLocation): (url: string) => boolean {
  if (location.kind === 'dev-server') {
    const origin = new URL(location.url).origin;
    return (raw) => {
      const url = parse(raw);
      return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
    };
  }
  return (raw) => {
    const url = parse(raw);
    return url !== null && url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '' && url.port === '';
  };
}

/**
 * The file an app:// request names, confined to the renderer's folder; null for anything else
 * (another host, a path that leaves the folder by `..` or an encoded slash or backslash, a NUL,
 * a malformed escape).
 */
export function resolveAppRequest(rootDir: string, raw: string): string | null {
  const url = parse(raw);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || /%2f|%5c/i.test(url.pathname)) return null;
  const root = resolve(rootDir);
  const file = resolve(root, '.' + (path === '/' || path === '' ? '/index.html' : path));
  return file.startsWith(root + sep) ? file : null;
}

/**
 * The hosts the app links to (its project and where models come from). Every other URL stays
 * inside: a page that managed to run script could otherwise open anything in the system browser.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'huggingface.co', 'node-llama-cpp.withcat.ai'];

/** Only https links to the allow-listed hosts ever leave the app (to the system browser). */
export function isSafeExternalUrl(raw: string): boolean {
  const url = parse(raw);
  return (
    url !== null &&
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    EXTERNAL_HOSTS.includes(url.hostname)
  );
}

/**
 * The renderer's Content-Security-Policy. Production is strict (matches browser mode's server);
 * development adds the dev server's origin and its HMR WebSocket, plus 'unsafe-inline' scripts for
 * @vitejs/plugin-react's inline refresh preamble (dev only; never in a packaged app).
 */
export function buildCsp(location: AppLocation): string {
  const dev = location.kind === 'dev-server' ? new URL(location.url) : null;
  const devSources = dev ? [dev.origin] : [];
  const devSocket = dev ? [`${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`] : [];
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...devSources, ...(dev ? ["'unsafe-inline'"] : [])]],
    ['style-src', ["'self'", "'unsafe-inline'", ...devSources]],
    ['img-src', ["'self'", 'data:', ...devSources]],
    ['font-src', ["'self'", 'data:', ...devSources]],
    ['worker-src', ["'self'", 'blob:', ...devSources]],
    ['connect-src', ["'self'", ...devSources, ...devSocket]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/**
 * The policy of every built renderer page: Electron's app:// page and browser mode alike
 * ('self' covers the browser-mode page's own WebSocket).
 */
export const PRODUCTION_CSP = buildCsp({ kind: 'file', indexHtml: '/index.html' });

/** The same policy as a <meta> tag may carry it (browsers ignore, and warn about, frame-ancestors there). */
export const PRODUCTION_CSP_META = PRODUCTION_CSP.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors '))
  .join('; ');

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
