// The whole path against the test Hub: search → pick a quantization → fit from the remote header
// (HTTP range requests) → download → verify → the fit from the full local file is the same →
// load and run with the real engine (a real host process).
import { mkdtempSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOS, demoModel, designedGreedy } from '../../../build/gguf/demo-model.js';
import { GgmlType } from '../../../build/gguf/format.js';
import { storedDesign } from '../../../build/gguf/llama-model.js';
import { estimateFit, estimateLlama, readLocalHeader, readRemoteHeader, remoteFit, type FitEstimate } from '../../../service/models/fit.js';
import { HubClient } from '../../../service/models/hub-client.js';
import { startPull } from '../../../service/models/pull.js';
import { startTestBackend, type TestService } from '../../helpers/backend.js';
import { BIG_REPO, bigRepo, DEMO_REPO, demoFiles, GATED_REPO, GATED_TOKEN, HUB_DESIGN, hubRepos, SPLIT_REPO } from '../../helpers/hub-fixtures.js';
import { startHub, type HubServer } from '../../helpers/hub-server.js';

let hub: HubServer;
let client: HubClient;
let llama: Llama;
let backend: TestService;
beforeAll(async () => {
  hub = await startHub([...hubRepos(), bigRepo()]);
  client = new HubClient({ endpoint: hub.url });
  llama = await estimateLlama({ SHOTGLASS_GPU: 'cpu' });
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend?.dispose();
  await hub.close();
});

/** The estimate without the machine's free memory (sampled at each call, so it drifts). */
const numbers = ({ freeRam: _r, freeVram: _v, summary: _s, ...rest }: FitEstimate) => rest;
// The Hub's files are the demo's bigram without its attention (hub-fixtures.ts).
const design = HUB_DESIGN;
const { tokenizer } = demoModel();
const prompt = 'Q: This movie sucks!\nA:';

describe('search → fit → download → verify → run', () => {
  it('a single-file quantization', async () => {
    const [found] = await client.search('demo', { sort: 'downloads' });
    expect(found!.id).toBe(DEMO_REPO);
    const choices = await client.ggufChoices(found!.id);
    const q8 = choices.find((c) => c.quantization === 'Q8_0')!;
    const model = await client.resolve(`hf:${found!.id}/${q8.main}`);

    const remote = await remoteFit(model, client.authHeaders(), llama, { contextSize: 1024 });
    expect(remote.kind).toBe('ram'); // this machine has no GPU; the model is small
    expect(remote.summary).toMatch(/^fits in RAM only/);

    const dir = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
    const { job } = await startPull(model.ref, { dir, client });
    const { path } = await job.start().result;
    const local = await estimateFit(await readLocalHeader(path), llama, { contextSize: 1024 });
    expect(numbers(remote)).toEqual(numbers(local));
    expect(local.ram).toBeGreaterThan(0);

    const opened = await backend.api.openModel({ path });
    await backend.api.loadModel({ modelId: opened.id, skipChecks: false, options: { contextSize: 1024 } });
    const { result, error } = await backend.run(opened.id, prompt, { temperature: 0, maxTokens: 12 });
    expect(error).toBeUndefined();
    expect(result!.tokens).toEqual(designedGreedy(storedDesign(design, GgmlType.Q8_0), [BOS, ...tokenizer.tokenize(prompt)], 12));
    expect(result!.record.model.sha256).toBe(model.files[0]!.sha256);
    await backend.api.unloadModel({ modelId: opened.id });
  });

  it('a split model in three parts: the header fit spans all parts and equals the local one; it loads and runs', async () => {
    const model = await client.resolve(`hf:${SPLIT_REPO}:Q8_0`);
    const remoteInfo = await readRemoteHeader(model.urls[0]!);
    expect(remoteInfo.splicedParts).toBe(3);
    const remote = await estimateFit(remoteInfo, llama, { contextSize: 2048 });
    const dir = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
    const { job } = await startPull(model.ref, { dir, client });
    const { path, files } = await job.start().result;
    expect(files).toHaveLength(3);
    const local = await estimateFit(await readLocalHeader(path), llama, { contextSize: 2048 });
    expect(numbers(remote)).toEqual(numbers(local));
    expect(local.totalLayers).toBe(3); // 2 blocks + the output layer, as GgufInsights counts

    const opened = await backend.api.openModel({ path });
    await backend.api.loadModel({ modelId: opened.id, skipChecks: false });
    const { result } = await backend.run(opened.id, prompt, { temperature: 0, maxTokens: 12 });
    expect(result!.tokens).toEqual(designedGreedy(storedDesign(design, GgmlType.Q8_0), [BOS, ...tokenizer.tokenize(prompt)], 12));
    expect(demoFiles().parts).toHaveLength(3);
  });

  it('a large file: the fit comes from its header alone, read with range requests', async () => {
    const model = await client.resolve(`hf:${BIG_REPO}:Q4_0`);
    const since = hub.log.length;
    const servedBefore = hub.bytesServed;
    const info = await readRemoteHeader(model.urls[0]!);
    const headerBytes = hub.bytesServed - servedBefore;
    expect(headerBytes).toBeGreaterThan(0);
    expect(headerBytes).toBeLessThan(model.size / 2);
    const gets = hub.log.slice(since).filter((r) => r.path.startsWith('/cdn/'));
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? ''))).toBe(true);
    const fit = await estimateFit(info, llama, { contextSize: 2048 });
    expect(fit.totalLayers).toBe(65);
    expect(fit.kind).toBe('ram');
  });

  it('a context too large for this machine does not fit, and says so with the numbers', async () => {
    const model = await client.resolve(`hf:${BIG_REPO}:Q4_0`);
    const info = await readRemoteHeader(model.urls[0]!);
    // Sized from this machine's memory: a context whose cache needs twice the RAM there is.
    const probe = await estimateFit(info, llama, { contextSize: 1 << 16 });
    const contextSize = Math.ceil(((2 * totalmem()) / probe.contextRam) * (1 << 16));
    const fit = await estimateFit(info, llama, { contextSize });
    expect(fit.kind).toBe('none');
    expect(fit.ram).toBeGreaterThan(fit.freeRam);
    expect(fit.summary).toMatch(/^does not fit: needs [\d.]+ (GB|TB) RAM; [\d.]+ (GB|MB) RAM free$/);
  });

  it('a gated repository: the header needs the token too', async () => {
    const gated = new HubClient({ endpoint: hub.url, token: GATED_TOKEN });
    const model = await gated.resolve(`hf:${GATED_REPO}:Q4_0`);
    const fit = await remoteFit(model, gated.authHeaders(), llama, { contextSize: 512 });
    expect(fit.kind).toBe('ram');
    expect(hub.requests(`/${GATED_REPO}/resolve/`).at(-1)!.authorization).toBe(`Bearer ${GATED_TOKEN}`);
    await expect(remoteFit(model, {}, llama)).rejects.toThrow(/401/);
  });
});
