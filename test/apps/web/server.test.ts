// Browser mode over real HTTP and a real WebSocket, with a real backend behind it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ServiceEvent } from '../../../core/api/contract.js';
import { API_METHODS } from '../../../core/api/methods.js';
import { startServer, type RunningServer } from '../../../apps/web/server.js';
import { startTestBackend, type TestService } from '../../helpers/backend.js';

let backend: TestService;
let server: RunningServer;
const staticDir = join(tmpdir(), `shotglass-static-${process.pid}`);

beforeAll(async () => {
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Shotglass</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  backend = await startTestBackend();
  server = await startServer({ backend, staticDir, port: 0 });
});
afterAll(async () => {
  await server.close();
  await backend.dispose();
});

/** A raw request, so Host and Origin can be anything (fetch would fix them). */
function raw(
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const api = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  raw(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, ...headers },
    body: JSON.stringify(input),
  }).then((r) => ({ ...r, json: JSON.parse(r.body) }));

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves every API method, and the demo model is registered', async () => {
    const info = await api('getAppInfo', {});
    expect(info.json).toMatchObject({ ok: true, value: { mode: 'browser', demoModelId: backend.demoId } });
    const models = await api('listModels', {});
    expect(models.json.value.map((m: { id: string }) => m.id)).toContain(backend.demoId);
    for (const method of API_METHODS) {
      const r = await api(method, null);
      expect(r.status, method).not.toBe(404);
    }
  });

  it('rejects invalid input naming the field, and unknown fields', async () => {
    const bad = await api('startCompletion', { modelId: backend.demoId, prompt: 'x', sampling: { temperature: 5 } });
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({
      ok: false,
      error: { code: 'invalid-argument', message: 'sampling.temperature must be at most 2' },
    });
    const extra = await api('listModels', { sneaky: true });
    expect(extra.json.error.code).toBe('invalid-argument');
    const notJson = await raw('/api/listModels', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: '{nope',
    });
    expect(JSON.parse(notJson.body).error.message).toMatch(/not valid JSON/);
    const unknown = await api('deleteEverything', {});
    expect(unknown.status).toBe(404);
  });

  it('refuses other origins and other Host names (CSRF, DNS rebinding)', async () => {
    expect((await api('listModels', {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await api('listModels', {}, { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await raw('/', { headers: { host: 'attacker.test' } })).status).toBe(403);
    const form = await raw('/api/listModels', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: server.url },
      body: '{}',
    });
    expect(form.status).toBe(415);
  });

  it('serves the renderer with a CSP and never outside its folder', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Shotglass</title>');
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect((await raw('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await raw('/../package.json')).status).not.toBe(200);
    expect((await raw('/%2e%2e/%2e%2e/package.json')).status).not.toBe(200);
    expect((await raw('/missing.js')).status).toBe(404);
  });

  it('streams run events over the WebSocket in batches', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { origin: server.url });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const batches: ServiceEvent[][] = [];
    const ended = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const batch = JSON.parse(String(data)) as ServiceEvent[];
        batches.push(batch);
        if (batch.some((e) => e.type === 'run.end')) resolve();
      });
    });
    const started = await api('startCompletion', {
      modelId: backend.demoId,
      prompt: 'Q: This movie sucks!\nA:',
      sampling: { temperature: 0, maxTokens: 300 },
    });
    await ended;
    ws.close();
    const events = batches.flat().filter((e) => 'runId' in e && e.runId === started.json.value.runId);
    const deltas = events.filter((e) => e.type === 'run.delta');
    const end = events.find((e) => e.type === 'run.end');
    expect(end && end.type === 'run.end' && end.result.tokens).toHaveLength(300);
    expect(deltas.map((d) => (d.type === 'run.delta' ? d.text : '')).join('')).toBe(
      end?.type === 'run.end' ? end.result.text : null,
    );
    // 300 tokens arrive in fewer messages than tokens (deltas of a frame are merged).
    expect(deltas.reduce((n, d) => n + (d.type === 'run.delta' ? d.tokens : 0), 0)).toBe(300);
    expect(batches.length).toBeLessThan(300);
  });

  it('refuses a WebSocket from another origin', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { origin: 'https://evil.example' });
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', (e) => resolve(String(e.message)));
    });
    expect(outcome).toMatch(/403/);
  });
});
