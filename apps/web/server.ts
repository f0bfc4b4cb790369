// Browser mode: the renderer and the typed API served on 127.0.0.1 only.
// POST /api/<method> takes the method's input as JSON and answers an Envelope (HTTP 200 whenever
// the method was reached; 403/404/405/415 only for requests that never became a call); GET /api/events
// upgrades to a WebSocket that carries batches of BackendEvents.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, parseInput, toApiError, type ServiceEvent, type Envelope } from '../../core/api/contract.js';
import { API_METHODS, type ApiMethod } from '../../core/api/methods.js';
import type { Service } from '../../service/types.js';
import { PRODUCTION_CSP } from '../../electron/app-url.js';
import { createEventBatcher } from '../../service/transport/event-batcher.js';


const MAX_BODY_BYTES = 8 * 1024 * 1024;

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

export interface ServerOptions {
  backend: Service;
  staticDir: string;
  port?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const staticRoot = resolve(options.staticDir);
  const methods = new Set<string>(API_METHODS);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  // A page on another site must not reach the API (CSRF, DNS rebinding): check Host, and Origin
  // whenever a browser sends one.
  const trusted = (req: IncomingMessage): boolean => {
    if (!allowedHosts().has(req.headers.host ?? '')) return false;
    const origin = req.headers.origin;
    return origin === undefined || allowedOrigins().has(origin);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toApiError(error) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!trusted(req)) {
      const message = 'this server only answers its own pages on 127.0.0.1';
      if (url.pathname.startsWith('/api/')) sendJson(res, 403, { ok: false, error: { code: 'forbidden', message } });
      else res.writeHead(403, { 'content-type': 'text/plain' }).end(`Forbidden: ${message}`);
      return;
    }
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice(5));
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
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
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
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
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
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'content-security-policy': PRODUCTION_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  }

  // ---- events over WebSocket, batched exactly as over Electron IPC
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  const batcher = createEventBatcher((batch: ServiceEvent[]) => {
    const payload = JSON.stringify(batch);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(payload);
  });
  const unsubscribe = options.backend.onEvent((event) => {
    if (sockets.size) batcher.push(event);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // A WebSocket handshake always carries Origin from a browser: require ours.
    if (url.pathname !== '/api/events' || !trusted(req) || !req.headers.origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
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
    port,
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
