// Browser mode: the renderer and the typed API served on 127.0.0.1 only.
// POST /api/<method> takes the method's input as JSON and answers an Envelope (HTTP 200 whenever
// the method was reached; 403/404/405/415 only for requests that never became a call); GET /api/events
// upgrades to a WebSocket that carries batches of BackendEvents.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, parseInput, toApiError, type ServiceEvent, type Envelope } from '../../core/api/contract.js';
import { API_METHODS, type ApiMethod } from '../../core/api/methods.js';
import type { Service } from '../../service/types.js';
import { PRODUCTION_CSP } from '../../core/security/csp.js';
import { createEventBatcher } from '../../service/transport/event-batcher.js';
import { rendererMimeType } from '../../core/web/mime.js';


const MAX_BODY_BYTES = 8 * 1024 * 1024;


export interface ServerOptions {
  backend: Service;
  staticDir: string;
  port?: number;
  /** the per-launch secret (tests pass their own); default: 32 random bytes */
  token?: string;
}

export interface RunningServer {
  /** the origin, without the token */
  url: string;
  /** what to open: the origin with ?token=… (printed by `npm run serve`) */
  launchUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_COOKIE = 'shotglass_token';

/** The token a request carries: the cookie, or (first load, scripts) the ?token= parameter. */
function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** Constant-time comparison (a timing side channel must not reveal the token byte by byte). */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  // Compare equal-length buffers always, so the time does not depend on where they differ.
  const same = timingSafeEqual(a, b.length === a.length ? b : a);
  return same && b.length === a.length;
}

/** The exact media type application/json, with optional parameters (charset). */
const isJson = (contentType: string | undefined) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const staticRoot = resolve(options.staticDir);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const methods = new Set<string>(API_METHODS);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  // A page on another site must not reach the API (CSRF, DNS rebinding): check Host, and Origin
  // whenever a browser sends one.
  const trusted = (req: IncomingMessage): boolean => {
    // Node joins nothing for Host: a second Host header is in rawHeaders only. Refuse it.
    const hosts = req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i]!.toLowerCase() === 'host');
    if (hosts.length !== 1) return false;
    if (!allowedHosts().has(req.headers.host ?? '')) return false;
    const origin = req.headers.origin;
    return origin === undefined || allowedOrigins().has(origin);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      // Never a message from inside (it could name a file): the details stay on the server.
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'the request failed inside Shotglass' } });
      else res.destroy();
      void error;
    });
  });
  // A client that resets or sends garbage must cost only its own connection.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request: malformed URL');
      return;
    }
    if (!trusted(req)) {
      const message = 'this server only answers its own pages on 127.0.0.1';
      if (url.pathname.startsWith('/api/')) sendJson(res, 403, { ok: false, error: { code: 'forbidden', message } });
      else res.writeHead(403, { 'content-type': 'text/plain' }).end(`Forbidden: ${message}`);
      return;
    }
    const given = presentedToken(req, url);
    const authenticated = tokenMatches(token, given);
    if (url.pathname.startsWith('/api/')) {
      if (!authenticated) {
        const message = 'open Shotglass through the address it printed at start (it carries the launch token)';
        sendJson(res, 401, { ok: false, error: { code: 'forbidden', message } });
        return;
      }
      return handleApi(req, res, url.pathname.slice(5));
    }
    if (authenticated && url.searchParams.has('token')) {
      // First load: keep the token in a cookie scripts cannot read, and drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(303, {
        location: url.pathname + url.search,
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    return serveStatic(res, url.pathname);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (!methods.has(method)) {
      sendJson(res, 404, { ok: false, error: { code: 'not-found', message: `no API method ${method}` } });
      return;
    }
    if (!isJson(req.headers['content-type'])) {
      sendJson(res, 415, { ok: false, error: { code: 'invalid-argument', message: 'send JSON' } });
      return;
    }
    let envelope: Envelope<unknown>;
    try {
      const raw = await readJson(req);
      const m = method as ApiMethod;
      const input = parseInput(m, raw);
      const value = await (options.backend.handlers[m] as (i: unknown) => Promise<unknown>)(input);
      envelope = { ok: true, value };
    } catch (error) {
      envelope = { ok: false, error: toApiError(error) };
    }
    // A call that reached a method always answers 200: the envelope carries the outcome and its
    // code (browsers log every non-2xx fetch as a console error, which an invalid file is not).
    sendJson(res, 200, envelope);
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request: malformed % escape');
      return;
    }
    if (decoded.includes('\0')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
      return;
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    let file = resolve(staticRoot, relative || 'index.html');
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(403).end();
      return;
    }
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': rendererMimeType(extname(file)),
      'content-length': info.size,
      'content-security-policy': PRODUCTION_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }

  // ---- events over WebSocket, batched exactly as over Electron IPC
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  wss.on('error', () => undefined);
  const sockets = new Set<WebSocket>();
  const batcher = createEventBatcher((batch: ServiceEvent[]) => {
    const payload = JSON.stringify(batch);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(payload);
  });
  const unsubscribe = options.backend.onEvent((event) => {
    if (sockets.size) batcher.push(event);
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    // A WebSocket handshake always carries Origin from a browser: require ours, and the token.
    if (url.pathname !== '/api/events' || !trusted(req) || !req.headers.origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    if (!tokenMatches(token, presentedToken(req, url))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      // An oversized or malformed frame is an 'error' on this socket: close it, keep the server.
      ws.on('error', () => {
        sockets.delete(ws);
        ws.terminate();
      });
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1003, 'this socket only sends'));
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    launchUrl: `${url}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      batcher.dispose();
      for (const s of sockets) s.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('invalid-argument', 'the request is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid-argument', 'the request body is not valid JSON');
  }
}
