// The renderer's Content-Security-Policy: one policy for Electron's page and browser mode's
// server alike. Pure, so the Electron shell, the web server and the renderer's build share it.

/**
 * Production is strict; development adds the dev server's origin and its HMR WebSocket, plus
 * 'unsafe-inline' scripts for @vitejs/plugin-react's inline refresh preamble (dev only; never in a
 * packaged app).
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  // scheme://host[:port] of the dev server (core/ has no URL class: see globals.d.ts)
  const dev = devServerUrl ? /^(https?):\/\/([^/?#]+)/i.exec(devServerUrl) : null;
  // normalised as URL's origin would be: lower case, no default port
  const scheme = dev ? dev[1]!.toLowerCase() : '';
  const host = dev ? dev[2]!.toLowerCase().replace(scheme === 'https' ? /:443$/ : /:80$/, '') : '';
  const devSources = dev ? [`${scheme}://${host}`] : [];
  const devSocket = dev ? [`${scheme === 'https' ? 'wss:' : 'ws:'}//${host}`] : [];
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
 * The policy of every built renderer page: Electron's app and browser mode alike
 * ('self' covers the browser-mode page's own WebSocket).
 */
export const PRODUCTION_CSP = contentSecurityPolicy();

/** The same policy as a <meta> tag may carry it (browsers ignore, and warn about, frame-ancestors there). */
export const PRODUCTION_CSP_META = PRODUCTION_CSP.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors '))
  .join('; ');
