// Where the app's own page lives, and the rules derived from it: which URLs count as "the app"
// (for navigation and IPC sender checks) and the Content-Security-Policy served to it.
// Pure Node: no Electron import, so it is unit-testable and shared by window.ts, ipc.ts, main.ts.
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * The policy of every built renderer page: Electron's file:// app and browser mode alike
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
