// The media types of the built renderer's files: one table for the two places that serve them,
// browser mode's server and Electron's app:// protocol.
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The Content-Type for a file of the renderer, by its extension (with the dot, as extname gives it). */
export function rendererMimeType(extension: string): string {
  return Object.hasOwn(MIME, extension) ? MIME[extension]! : 'application/octet-stream';
}
