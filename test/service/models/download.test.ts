// Downloads against the test Hub over real HTTP, with each fault served on purpose.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { partialPath, statePath } from '../../../service/models/download-state.js';
import { DownloadError } from '../../../service/models/download-file.js';
import { DownloadJob, planDownload, type DownloadEvent } from '../../../service/models/download-job.js';
import { HubClient } from '../../../service/models/hub-client.js';
import { DEMO_REPO, demoFiles, hubRepos, sha256, SPLIT_PATHS, SPLIT_REPO } from '../../helpers/hub-fixtures.js';
import { startHub, type HubServer } from '../../helpers/hub-server.js';

let hub: HubServer;
let client: HubClient;
beforeAll(async () => {
  hub = await startHub(hubRepos());
  client = new HubClient({ endpoint: hub.url });
});
afterAll(() => hub.close());
afterEach(() => {
  hub.clearFaults();
  hub.clearCorruption();
  hub.bytesPerSecond = 0;
});

const FAST = { stallMs: 400, maxAttempts: 5, backoff: { baseMs: 20, maxMs: 100 } };
const Q8 = 'demo.Q8_0.gguf';

async function job(ref: string, dir = mkdtempSync(join(tmpdir(), 'sg-dl-')), policy = FAST, tickMs = 50) {
  const model = await client.resolve(ref);
  const j = new DownloadJob(planDownload(model, dir), { policy, tickMs });
  const events: DownloadEvent[] = [];
  j.on((e) => events.push(e));
  return { j, events, dir, dest: join(dir, 'shotglass', 'demo-GGUF', model.main) };
}

const types = (events: DownloadEvent[]) => events.map((e) => e.type).filter((t) => t !== 'progress' && t !== 'state');
const cdnGets = (since: number) => hub.log.slice(since).filter((r) => r.path.startsWith('/cdn/') && r.method === 'GET');

describe('a download', () => {
  it('arrives verified under its final name with progress that reaches the total', async () => {
    const { j, events, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    const result = await j.start().result;
    expect(result.path).toBe(dest);
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().q8));
    expect(existsSync(partialPath(dest)) || existsSync(statePath(dest))).toBe(false);
    expect(types(events)).toEqual(['verifying', 'verified', 'done']);
    const progress = events.filter((e) => e.type === 'progress');
    const bytes = progress.map((e) => e.bytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ bytes: demoFiles().q8.length, total: demoFiles().q8.length, state: 'done', secondsLeft: 0 });
  });

  it('a dropped connection: resumes with Range and If-Range from where it broke, and completes', async () => {
    hub.fault(DEMO_REPO, Q8, { kind: 'drop', afterBytes: 300_000 });
    const since = hub.log.length;
    const { j, events, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    await j.start().result;
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().q8));
    const gets = cdnGets(since);
    expect(gets).toHaveLength(2);
    const resumedAt = Number(/bytes=(\d+)-/.exec(gets[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(300_000);
    expect(gets[1]!.ifRange).toBe(`"${sha256(demoFiles().q8)}"`);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ attempt: 1, reason: expect.stringMatching(/connection/) });
  });

  it('a stall: detected after the stall time, said in events, retried, completed; the speed falls meanwhile', async () => {
    hub.fault(DEMO_REPO, Q8, { kind: 'stall', afterBytes: 200_000 });
    const { j, events, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    await j.start().result;
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().q8));
    const stalled = events.find((e) => e.type === 'stalled');
    expect(stalled).toMatchObject({ seconds: 0.4, attempt: 1 });
    // The progress reports between the last byte before the stall and its detection:
    const stalledAt = events.indexOf(stalled!);
    const during = events
      .slice(0, stalledAt)
      .filter((e): e is Extract<DownloadEvent, { type: 'progress' }> => e.type === 'progress' && e.bytes > 0 && e.idleMs >= 100);
    expect(during.length).toBeGreaterThan(1);
    expect(new Set(during.map((e) => e.bytes)).size).toBe(1);
    // Not frozen: while no byte arrives, the speed readout keeps falling and idleMs keeps rising.
    expect(during.at(-1)!.speed).toBeLessThan(during[0]!.speed);
    expect(during.at(-1)!.idleMs).toBeGreaterThan(during[0]!.idleMs);
    expect(types(events)).toEqual(['stalled', 'retry', 'resumed', 'verifying', 'verified', 'done'].filter((t) => t !== 'resumed'));
  });

  it.each([429, 503])('%d then OK: backs off (Retry-After honoured) and succeeds', async (status) => {
    hub.fault(DEMO_REPO, Q8, { kind: 'status', status, retryAfter: '0' });
    const since = hub.log.length;
    const { j, events, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    await j.start().result;
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().q8));
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: `the server answered ${status}`, delayMs: 0 });
    expect(hub.log.slice(since).filter((r) => r.path.includes('/resolve/')).map((r) => r.status)).toEqual([status, 302]);
  });

  it('gives up after the attempts allowed, keeps the partial, and a later run resumes it', async () => {
    hub.fault(DEMO_REPO, Q8, { kind: 'drop', afterBytes: 100_000 }, ...[1, 2, 3].map(() => ({ kind: 'status', status: 503 }) as const));
    const { j, dir, dest } = await job('hf:shotglass/demo-GGUF:Q8_0', undefined, { ...FAST, maxAttempts: 3 });
    const error = await j.start().result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/503; gave up after 3 attempts \(the partial file is kept/);
    // The server cut the connection after sending 100 000 bytes; some may die in the socket.
    const kept = readFileSync(partialPath(dest)).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);
    const again = await job('hf:shotglass/demo-GGUF:Q8_0', dir);
    await again.j.start().result;
    expect(again.events.find((e) => e.type === 'resumed')).toMatchObject({ fromByte: kept });
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().q8));
  });

  it('one flipped byte: SHA-256 mismatch, the file is deleted, never given its final name', async () => {
    hub.corrupt(DEMO_REPO, Q8, 123_456);
    const { j, events, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    const error = await j.start().result.catch((e: unknown) => e);
    expect((error as DownloadError).code).toBe('checksum');
    expect((error as Error).message).toMatch(/SHA-256 mismatch \(expected [0-9a-f]{64}, got [0-9a-f]{64}\); the corrupt download was deleted and will not be used/);
    expect(existsSync(dest) || existsSync(partialPath(dest)) || existsSync(statePath(dest))).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'failed', code: 'checksum' });
  });

  it('a split model in three parts: one job, one progress, every part verified', async () => {
    const { j, events, dir } = await job('hf:shotglass/split-GGUF:Q8_0');
    const result = await j.start().result;
    const parts = SPLIT_PATHS.map((p) => join(dir, ...SPLIT_REPO.split('/'), ...p.split('/')));
    expect(result).toEqual({ path: parts[0], files: parts });
    parts.forEach((p, i) => expect(sha256(readFileSync(p))).toBe(sha256(demoFiles().parts[i]!)));
    expect(events.filter((e) => e.type === 'verified')).toHaveLength(3);
    const total = demoFiles().parts.reduce((n, p) => n + p.length, 0);
    expect(events.filter((e) => e.type === 'progress').every((e) => e.type === 'progress' && e.total === total && e.parts === 3)).toBe(true);
  });

  it('a changed file on the server (If-Range mismatch) restarts from byte 0 instead of splicing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-dl-'));
    const { j, events, dest } = await job('hf:shotglass/demo-GGUF:Q8_0', dir);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dest, '..'), { recursive: true });
    writeFileSync(partialPath(dest), Buffer.alloc(50_000, 7));
    const q8 = demoFiles().q8;
    writeFileSync(statePath(dest), JSON.stringify({ version: 1, url: 'x', size: q8.length, sha256: sha256(q8), etag: '"an-older-version"', startedAt: '' }));
    await j.start().result;
    expect(sha256(readFileSync(dest))).toBe(sha256(q8));
    expect(types(events)).toEqual(['resumed', 'restarted', 'verifying', 'verified', 'done']);
  });

  it('never overwrites a different file already under the final name', async () => {
    const { j, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dest, '..'), { recursive: true });
    writeFileSync(dest, 'my own notes');
    await expect(j.start().result).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(dest, 'utf8')).toBe('my own notes');
  });
});

describe('pause, resume, cancel', () => {
  it('pause stops the bytes, resume continues from the partial with a Range request', async () => {
    hub.bytesPerSecond = 2_000_000;
    const since = hub.log.length;
    const { j, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    j.start();
    await until(() => j.progress().bytes > 200_000);
    j.pause();
    expect(j.state).toBe('paused');
    await sleep(100);
    const held = j.progress().bytes;
    await sleep(300);
    expect(j.progress().bytes).toBe(held);
    expect(readFileSync(partialPath(dest)).length).toBe(held);
    j.resume();
    await j.result;
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().q8));
    expect(cdnGets(since).at(-1)!.range).toBe(`bytes=${held}-`);
  });

  it('cancel keeps the partial file by default; the next download resumes it', async () => {
    hub.bytesPerSecond = 2_000_000;
    const { j, dir, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    j.start();
    await until(() => j.progress().bytes > 200_000);
    j.cancel();
    await expect(j.result).rejects.toMatchObject({ code: 'cancelled' });
    const kept = readFileSync(partialPath(dest)).length;
    expect(kept).toBeGreaterThan(200_000);
    hub.bytesPerSecond = 0;
    const again = await job('hf:shotglass/demo-GGUF:Q8_0', dir);
    await again.j.start().result;
    expect(again.events.find((e) => e.type === 'resumed')).toMatchObject({ fromByte: kept });
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().q8));
  });

  it('cancel with deletePartial removes the partial and its state', async () => {
    hub.bytesPerSecond = 2_000_000;
    const { j, dest } = await job('hf:shotglass/demo-GGUF:Q8_0');
    j.start();
    await until(() => j.progress().bytes > 100_000);
    j.pause();
    j.cancel({ deletePartial: true });
    await expect(j.result).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(partialPath(dest)) || existsSync(statePath(dest)) || existsSync(dest)).toBe(false);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(5);
  }
}

describe('hf: references resolve to the local file once downloaded', () => {
  it('by quantization, by file, and only when every part is there', async () => {
    const { findDownloaded } = await import('../../../service/models/pull.js');
    const dir = mkdtempSync(join(tmpdir(), 'sg-dl-'));
    expect(await findDownloaded('hf:shotglass/demo-GGUF:Q8_0', dir)).toBeNull();
    const { j, dest } = await job('hf:shotglass/demo-GGUF:Q8_0', dir);
    await j.start().result;
    expect(await findDownloaded('hf:shotglass/demo-GGUF:Q8_0', dir)).toBe(dest);
    expect(await findDownloaded('hf:shotglass/demo-GGUF/demo.Q8_0.gguf', dir)).toBe(dest);
    expect(await findDownloaded('hf:shotglass/demo-GGUF:Q4_0', dir)).toBeNull();
    expect(await findDownloaded('hf:shotglass/demo-GGUF', dir)).toBe(dest); // the only one there

    const split = await client.resolve('hf:shotglass/split-GGUF:Q8_0');
    const tasks = planDownload(split, dir);
    await new DownloadJob(tasks, { policy: FAST }).start().result;
    expect(await findDownloaded('hf:shotglass/split-GGUF:Q8_0', dir)).toBe(tasks[0]!.dest);
    const { unlinkSync } = await import('node:fs');
    unlinkSync(tasks[2]!.dest);
    expect(await findDownloaded('hf:shotglass/split-GGUF:Q8_0', dir)).toBeNull();
  });
});
