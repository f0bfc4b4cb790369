// Where the app's own page lives, and the rules derived from it: which URLs count as "the app"
// (for navigation and IPC sender checks) and the Content-Security-Policy served to it.
// Pure Node: no Electron import, so it is unit-testable and shared by window.ts, ipc.ts, main.ts.
import { dirname, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from '../core/security/csp.js';

export { PRODUCTION_CSP, PRODUCTION_CSP_META } from '../core/security/csp.js';

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

/** The renderer's Content-Security-Policy for where the app is loaded from (core/security/csp.ts). */
export function buildCsp(location: AppLocation): string {
  return contentSecurityPolicy(location.kind === 'dev-server' ? location.url : undefined);
}

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
