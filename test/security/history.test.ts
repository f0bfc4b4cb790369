// A history database damaged in the middle: listing fails, so no more runs are taken into it
// (each would be written into a damaged b-tree), and the user can move it aside from the app.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../service/service.js';
import type { Service } from '../../service/types.js';
import { spawnNodeHost } from '../../service/inference/node-host.js';
import { defaultHistoryPath, openHistory, type NewRun } from '../../service/history/index.js';
import { DEMO_MODEL, HOST_ENTRY, runToEnd } from '../helpers/backend.js';

const row = (i: number): NewRun => ({
  kind: 'single',
  modelPath: '/models/demo.gguf',
  mode: 'completion',
  prompt: `prompt ${i}`,
  sampling: { temperature: 0 },
  output: `output ${i} `.repeat(50),
  finishReason: 'stop',
  metrics: {},
  record: {},
});

let dataDir: string;
let backend: Service;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sg-damaged-'));
  const path = defaultHistoryPath(dataDir);
  const store = openHistory(path);
  store.addMany(Array.from({ length: 400 }, (_, i) => row(i)));
  store.close();
  // Damage the middle of the file; the first page (the schema) stays, so it still opens.
  const bytes = readFileSync(path);
  bytes.fill(0xa5, Math.floor(bytes.length * 0.2), Math.floor(bytes.length * 0.8));
  writeFileSync(path, bytes);
  backend = createService({
    mode: 'cli',
    spawnHost: spawnNodeHost(HOST_ENTRY, { ...process.env, SHOTGLASS_GPU: 'cpu' }),
    demoModelPath: DEMO_MODEL,
    version: 'test',
    dataDir,
  });
});
afterAll(async () => {
  await backend.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a history damaged in the middle', () => {
  it('stops taking runs once SQLite reports the damage, and offers to move it aside', async () => {
    const demoId = (await backend.api.getAppInfo({})).demoModelId!;
    await expect(backend.api.listRuns({ limit: 200 })).rejects.toMatchObject({ message: expect.stringMatching(/is damaged/) });
    await expect(backend.api.startCompletion({ modelId: demoId, prompt: 'x', sampling: { maxTokens: 2 } })).rejects.toMatchObject({
      message: expect.stringMatching(/is damaged.*runs are refused/s),
    });
    // an ephemeral run keeps nothing, so it still runs
    const ephemeral = await backend.api.startCompletion({ modelId: demoId, prompt: 'x', sampling: { maxTokens: 2 }, ephemeral: true });
    expect(ephemeral.runId).toBeTruthy();

    const { movedTo } = await backend.api.moveHistoryAside({});
    expect(movedTo).toMatch(/history\.sqlite\.damaged-\d{8}-\d{6}$/);
    expect(existsSync(movedTo)).toBe(true);
    expect((await backend.api.listRuns({})).items).toEqual([]);
    const outcome = await runToEnd(backend, demoId, 'Q: This movie sucks!\nA:', { temperature: 0, maxTokens: 2 });
    expect(outcome.error).toBeUndefined();
    await expect.poll(async () => (await backend.api.listRuns({})).items.length).toBe(1);
    // a sound history is never moved
    await expect(backend.api.moveHistoryAside({})).rejects.toMatchObject({ message: 'the run history is not damaged; nothing was moved' });
  });
});
