// The app:// protocol: the built renderer served from its folder with the production CSP, so the
// page never runs from file:// (which would let it fetch any file on the disk) and the fuse that
// grants file:// extra privileges can stay off. Paths are confined by resolveAppRequest.
import { extname } from 'node:path';
import type { Protocol } from 'electron';
import { APP_SCHEME, resolveAppRequest } from './app-url.js';
import { FileRefused, READ_LIMITS, readBounded } from '../node/fs/safe-file.js';
import { rendererMimeType } from '../core/web/mime.js';


/** Before `ready`: app:// is a standard, secure origin (fetch, workers and the CSP's 'self' work). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** After `ready`: answer app:// requests from `rootDir` only. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rootDir, request.url, csp));
}

export async function serveAppRequest(rootDir: string, url: string, csp: string): Promise<Response> {
  const file = resolveAppRequest(rootDir, url);
  if (!file) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  let body: Buffer;
  try {
    // The renderer's own files: regular files of a few MB (a symlink to /dev/zero would be refused).
    body = await readBounded(file, READ_LIMITS.dataset);
  } catch (error) {
    const status = error instanceof FileRefused && error.reason === 'too-large' ? 413 : 404;
    return new Response('Not found', { status, headers: { 'content-type': 'text/plain' } });
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': rendererMimeType(extname(file)),
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}
