// Where the app's own page lives, and the rules derived from it: which URLs count as "the app"
// (for navigation and IPC sender checks) and the Content-Security-Policy served to it.
// Pure Node: no Electron import, so it is unit-testable and shared by window.ts, ipc.ts, main.ts.
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from '../core/security/csp.js';

export { PRODUCTION_CSP, PRODUCTION_CSP_META } from '../core/security/csp.js';

export type AppLocation =
  /** Development: the renderer's Vite dev server (forge's MAIN_WINDOW_VITE_DEV_SERVER_URL). */
  | { kind: 'dev-server'; url: string }
  /** Production: the built renderer's index.html on disk, loaded over file://. */
  | { kind: 'file'; indexHtml: string };

/**
 * A predicate telling whether a URL belongs to the app: same origin as the dev server, or a file://
 * URL inside the built renderer's directory. Anything unparsable is not the app.
 */
export function createAppUrlMatcher(location: AppLocation, platform: NodeJS.Platform = process.platform): (url: string) => boolean {
  if (location.kind === 'dev-server') {
    const origin = new URL(location.url).origin;
    return (raw) => {
      const url = parse(raw);
      return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
    };
  }
  const fold = (p: string) => (platform === 'win32' || platform === 'darwin' ? p.toLowerCase() : p);
  const root = fold(resolve(dirname(location.indexHtml)) + sep);
  return (raw) => {
    const url = parse(raw);
    if (!url || url.protocol !== 'file:') return false;
    let path: string;
    try {
      // Resolves dot segments, drops ?query and #hash, rejects foreign hosts and encoded slashes.
      path = fileURLToPath(url);
    } catch {
      return false;
    }
    return fold(resolve(path)).startsWith(root);
  };
}

/** Only https links ever leave the app (to the system browser). */
export function isSafeExternalUrl(raw: string): boolean {
  const url = parse(raw);
  return url !== null && url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
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
