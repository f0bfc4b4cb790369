// Shotglass's build of node-llama-cpp's addon (scripts/native/build-addon.mjs): installed by
// `npm ci`, loaded by the host, and each of its additions doing what the engine relies on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionResult } from '../../electron/api/contract.js';
import { copySequence, isPatchedAddon, setProbabilitiesLimit } from '../../electron/host/native-addon.js';
import { writeBenchModel } from '../../scripts/gguf/bench-model.js';
import { BOS, demoModel } from '../../scripts/gguf/demo-model.js';
import { GgmlType } from '../../scripts/gguf/format.js';
import { DEMO_MODEL, ROOT, startTestBackend, type TestBackend } from '../helpers/backend.js';

const { tokenizer } = demoModel();
const PROMPT = [BOS, ...tokenizer.tokenize('Q: This movie sucks!\nA: Negative.\nQ: What a great film.\nA:')] as Token[];

describe('the patched addon', () => {
  it('is built and up to date after install', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'native', 'build-addon.mjs'), '--check'], { encoding: 'utf8' });
    expect(out).toContain('up to date');
  });

  describe('through the host', () => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await startTestBackend();
    });
    afterAll(() => backend.dispose());

    it('is what the host loads, and runs record it with their runtime', async () => {
      const system = await backend.api.getSystemInfo({});
      expect(system.nativeAddon).toBe('shotglass');
      const { result } = await backend.run(backend.demoId, 'Q: This movie sucks!\nA:', { temperature: 0, maxTokens: 3 });
      // (the demo model is tiny, so one thread: see defaultThreads)
      expect(result!.record.runtime).toMatchObject({ nativeAddon: 'shotglass', flashAttention: 'auto', threads: 1 });
    });
  });

  describe('the fallback: node-llama-cpp\'s stock addon (SHOTGLASS_STOCK_ADDON=1)', () => {
    let stock: TestBackend;
    beforeAll(async () => {
      stock = await startTestBackend({ SHOTGLASS_STOCK_ADDON: '1' });
    });
    afterAll(() => stock.dispose());

    it('gives the same tokens and probabilities, evaluating each variant\'s prompt itself', async () => {
      const system = await stock.api.getSystemInfo({});
      expect(system.nativeAddon).toBe('stock');
      const prompt = `Fallback ${Date.now()}: Q: This movie sucks!\nA: Negative.\nQ: What a great film.\nA:`;
      const sampling = { temperature: 0.9, topK: 0, maxTokens: 12, seed: 4 };
      const a = (await stock.run(stock.demoId, prompt, sampling)).result!;
      expect(a.record.runtime).toMatchObject({ nativeAddon: 'stock', threads: 1 });
      const patched = await startTestBackend();
      try {
        const b = (await patched.run(patched.demoId, prompt, sampling)).result!;
        expect(b.tokens).toEqual(a.tokens);
        expect(b.steps.map((s) => [s.p, s.top.map((t) => t.id)])).toEqual(a.steps.map((s) => [s.p, s.top.map((t) => t.id)]));
      } finally {
        await patched.dispose();
      }
      const { runs } = await stock.api.startComparison({
        spec: { name: 'stock', seed: 1, variants: ['x', 'y'].map((id) => ({ id, label: id, modelId: stock.demoId, input: { mode: 'completion' as const, text: prompt }, sampling: { temperature: 0, maxTokens: 4 } })) },
      });
      const ends = await Promise.all(runs.map((r) => new Promise<CompletionResult>((resolve) => stock.onEvent((e) => e.type === 'run.end' && e.runId === r.runId && resolve(e.result)))));
      expect(ends.map((r) => r.metrics.sharedPromptTokens)).toEqual([undefined, undefined]);
      expect(ends[0]!.text).toBe(ends[1]!.text);
    });
  });

  describe('directly', async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    const model = await llama.loadModel({ modelPath: DEMO_MODEL });
    afterAll(() => model.dispose());

    /** The first sampled step after `tokens` on `sequence`, with its probabilities and confidence. */
    async function firstStep(sequence: ReturnType<Awaited<ReturnType<typeof model.createContext>>['getSequence']>, tokens: Token[], temperature = 1) {
      for await (const step of sequence.evaluateWithMetadata(tokens, { probabilities: true, confidence: true }, { temperature, topK: 0, topP: 1, minP: 0, seed: 3 })) return step;
      throw new Error('no token');
    }

    it('is the binding node-llama-cpp loaded, with a persistent threadpool per context', async () => {
      expect(isPatchedAddon(llama)).toBe(true);
      const context = await model.createContext({ contextSize: 256, sequences: 1, threads: 2 });
      const features = (context as unknown as { _ctx: { getShotglassFeatures(): { threadpool: boolean; threadpoolThreads: number } } })._ctx.getShotglassFeatures();
      expect(features).toEqual({ version: 1, threadpool: true, threadpoolThreads: 2 });
      await context.dispose();
    });

    it('top-N probabilities are the N most likely of the full distribution, sorted, with the same numbers', async () => {
      const context = await model.createContext({ contextSize: 256, sequences: 2 });
      const full = await firstStep(context.getSequence(), PROMPT);
      setProbabilitiesLimit(context, 4);
      const top = await firstStep(context.getSequence(), PROMPT);
      expect(full.probabilities.size).toBe(model.fileInfo.metadata.tokenizer.ggml.tokens.length);
      expect(top.probabilities.size).toBe(4);
      const expected = [...full.probabilities].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 4);
      expect([...top.probabilities.keys()]).toEqual(expected.map(([id]) => id));
      for (const [id, p] of top.probabilities) expect(p).toBeCloseTo(full.probabilities.get(id)!, 6);
      expect(top.token).toBe(full.token);
      expect(top.confidence).toBeCloseTo(full.confidence!, 6);
      await context.dispose();
    });

    it('a failed copy throws and leaves the target empty on both sides, so it re-evaluates correctly', async () => {
      const context = await model.createContext({ contextSize: 256, sequences: 2 });
      const [sequence, fresh] = [context.getSequence(), context.getSequence()];
      await sequence.evaluateWithoutGeneratingNewTokens(PROMPT.slice(0, -1));
      expect(() => copySequence(context, sequence, sequence)).toThrow(/Invalid sequence ids/);
      expect(sequence.contextTokens).toEqual([]);
      const again = await firstStep(sequence, PROMPT, 0.8);
      const reference = await firstStep(fresh, PROMPT, 0.8);
      expect([...again.probabilities]).toEqual([...reference.probabilities]);
      await context.dispose();
    });

    it('a sequence copy carries the KV cache: the copy continues exactly as the original', async () => {
      // The demo model's attention is zero (its next token depends on the current one only), so
      // this needs a model that attends: a tiny random-weight llama.
      const dir = mkdtempSync(join(tmpdir(), 'shotglass-attn-'));
      const path = join(dir, 'tiny-random.gguf');
      writeBenchModel(path, GgmlType.F32, { shape: { nVocab: 2048, nEmbd: 128, nLayer: 2, nFf: 256, nHead: 4, nHeadKv: 2, contextLength: 512 } });
      const attending = await llama.loadModel({ modelPath: path });
      try {
        const context = await attending.createContext({ contextSize: 256, sequences: 3 });
        const [source, target, fresh] = [context.getSequence(), context.getSequence(), context.getSequence()];
        await source.evaluateWithoutGeneratingNewTokens(PROMPT.slice(0, -1));
        copySequence(context, source, target);
        expect(target.contextTokens).toEqual(PROMPT.slice(0, -1));
        const fromCopy = await firstStep(target, PROMPT.slice(-1), 0.8);
        const fromSource = await firstStep(source, PROMPT.slice(-1), 0.8);
        const withoutPrefix = await firstStep(fresh, PROMPT.slice(-1), 0.8);
        expect([...fromCopy.probabilities]).toEqual([...fromSource.probabilities]);
        // the prefix matters to this model, so equal numbers mean the cache really was copied
        expect([...withoutPrefix.probabilities]).not.toEqual([...fromSource.probabilities]);
        // and it is a copy, not a view: the target went on without changing the source
        expect(source.contextTokens).toEqual(PROMPT);
        expect(target.contextTokens).toEqual(PROMPT);
        await context.dispose();
      } finally {
        await attending.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
