// Browser mode under attack from the same machine: no token, a wrong token, an oversized
// WebSocket frame, malformed escapes, a near-miss media type, a second Host header.
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServer, tokenMatches, type RunningServer } from '../../apps/web/server.js';
import { startTestBackend, type TestService } from '../helpers/backend.js';

let backend: TestService;
let server: RunningServer;
const staticDir = join(tmpdir(), `shotglass-sec-static-${process.pid}`);

beforeAll(async () => {
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Shotglass</title>');
  backend = await startTestBackend();
  server = await startServer({ backend, staticDir, port: 0 });
});
afterAll(async () => {
  await server.close();
  await backend.dispose();
});

/** One raw HTTP/1.1 exchange over a socket, so headers can be duplicated or malformed. */
function rawHttp(lines: string[], body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let out = '';
    socket.on('data', (c) => (out += c));
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.write(lines.join('\r\n') + '\r\n\r\n' + body);
  });
}

const host = () => `Host: 127.0.0.1:${server.port}`;
const origin = () => `Origin: ${server.url}`;
const post = (method: string, extra: string[], body = '{}') =>
  rawHttp(
    [`POST /api/${method} HTTP/1.1`, host(), origin(), `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', ...extra],
    body,
  );
const status = (response: string) => Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1]);
const cookie = () => `Cookie: shotglass_token=${server.token}`;
const json = 'Content-Type: application/json';

function openSocket(headers: Record<string, string>, query = ''): Promise<{ ws: WebSocket; outcome: string }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events${query}`, { origin: server.url, headers });
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, outcome: 'open' }));
    ws.once('error', (e) => resolve({ ws, outcome: String(e.message) }));
  });
}

describe('browser mode: the per-launch token', () => {
  it('is random per launch, long, and printed in the launch URL', () => {
    expect(server.token.length).toBeGreaterThanOrEqual(40);
    expect(server.launchUrl).toBe(`${server.url}/?token=${server.token}`);
  });

  it('an /api call without the token, or with a wrong one, is refused; the right one works', async () => {
    expect(status(await post('listModels', [json]))).toBe(401);
    expect(status(await post('listModels', [json, 'Cookie: shotglass_token=wrong']))).toBe(401);
    const wrongSameLength = 'x'.repeat(server.token.length);
    expect(status(await post('listModels', [json, `Cookie: shotglass_token=${wrongSameLength}`]))).toBe(401);
    const ok = await post('listModels', [json, cookie()]);
    expect(status(ok)).toBe(200);
    expect(ok).toContain('"ok":true');
  });

  it('the first load with ?token= sets an HttpOnly SameSite=Strict cookie and drops the token from the address', async () => {
    const response = await rawHttp([`GET /?token=${server.token} HTTP/1.1`, host(), 'Connection: close']);
    expect(status(response)).toBe(303);
    expect(response).toMatch(new RegExp(`set-cookie: shotglass_token=${server.token}; HttpOnly; SameSite=Strict; Path=/`, 'i'));
    expect(response).toMatch(/location: \/\r\n/i);
    // a wrong token in the URL sets nothing
    const wrong = await rawHttp(['GET /?token=nope HTTP/1.1', host(), 'Connection: close']);
    expect(wrong).not.toMatch(/set-cookie/i);
  });

  it('the WebSocket upgrade needs the token too', async () => {
    expect((await openSocket({})).outcome).toMatch(/401/);
    expect((await openSocket({ cookie: 'shotglass_token=wrong' })).outcome).toMatch(/401/);
    const right = await openSocket({ cookie: `shotglass_token=${server.token}` });
    expect(right.outcome).toBe('open');
    right.ws.close();
  });

  it('compares in constant time and only equal strings match', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
  });
});

describe('browser mode: bad input never kills the server', () => {
  it('a 65 KiB WebSocket frame closes that socket only', async () => {
    const { ws, outcome } = await openSocket({ cookie: `shotglass_token=${server.token}` });
    expect(outcome).toBe('open');
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(65 * 1024));
    expect(await closed).toBe(1009); // "message too big"
    // the server still answers
    expect(status(await post('getAppInfo', [json, cookie()]))).toBe(200);
    const again = await openSocket({ cookie: `shotglass_token=${server.token}` });
    expect(again.outcome).toBe('open');
    again.ws.close();
  });

  it('malformed % escapes answer 400, not 500', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js', '/%c0%ae%c0%ae/x']) {
      const response = await rawHttp([`GET ${path} HTTP/1.1`, host(), 'Connection: close']);
      expect(status(response), path).toBe(400);
    }
    expect(status(await rawHttp(['GET / HTTP/1.1', host(), 'Connection: close']))).toBe(200);
  });

  it('only the exact media type application/json is accepted', async () => {
    expect(status(await post('listModels', ['Content-Type: application/jsonXYZ', cookie()]))).toBe(415);
    expect(status(await post('listModels', ['Content-Type: application/json-patch+json', cookie()]))).toBe(415);
    expect(status(await post('listModels', ['Content-Type: application/json; charset=utf-8', cookie()]))).toBe(200);
  });

  it('a duplicate Host header is refused even when the first copy is ours', async () => {
    const response = await post('listModels', [json, cookie(), 'Host: evil.example']);
    expect(status(response)).toBe(403);
  });

  it('garbage on the wire costs only that connection', async () => {
    const response = await rawHttp(['NOT HTTP AT ALL', 'x']);
    expect(response === '' || status(response) === 400).toBe(true);
    expect(status(await post('getAppInfo', [json, cookie()]))).toBe(200);
  });
});
