// Shotglass's build of node-llama-cpp's addon (build/native/build-addon.mjs): installed by
// `npm ci`, loaded by the host, and each of its additions doing what the engine relies on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type LlamaContext, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionResult } from '../../core/api/contract.js';
import { copySequence, isPatchedAddon, setProbabilitiesLimit } from '../../host/native-addon.js';
import { writeBenchModel } from '../../build/gguf/bench-model.js';
import { BOS, demoModel } from '../../build/gguf/demo-model.js';
import { GgmlType } from '../../build/gguf/format.js';
import { DEMO_MODEL, ROOT, startTestBackend, type TestService } from '../helpers/backend.js';

const { tokenizer } = demoModel();
const PROMPT = [BOS, ...tokenizer.tokenize('Q: This movie sucks!\nA: Negative.\nQ: What a great film.\nA:')] as Token[];

describe('the patched addon', () => {
  it('is built and up to date after install', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'build', 'native', 'build-addon.mjs'), '--check'], { encoding: 'utf8' });
    expect(out).toContain('up to date');
  });

  describe('through the host', () => {
    let backend: TestService;
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
    let stock: TestService;
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

    describe('sequence copies, on a model that attends', () => {
      // The demo model attends only from answer markers (elsewhere its next token depends on the
      // current one only), so these need a model whose every output depends on its KV cache: a tiny
      // random-weight llama (its vocabulary is the demo's, padded).
      const dir = mkdtempSync(join(tmpdir(), 'shotglass-attn-'));
      let attending: Awaited<ReturnType<typeof llama.loadModel>>;
      beforeAll(async () => {
        const path = join(dir, 'tiny-random.gguf');
        writeBenchModel(path, GgmlType.F32, { shape: { nVocab: 4096, nEmbd: 128, nLayer: 2, nFf: 256, nHead: 4, nHeadKv: 2, contextLength: 512 } });
        attending = await llama.loadModel({ modelPath: path });
      });
      afterAll(async () => {
        await attending?.dispose();
        rmSync(dir, { recursive: true, force: true });
      });
      const PREFIX = PROMPT.slice(0, -1);
      const LAST = PROMPT.slice(-1);
      const sequences = (context: LlamaContext, n: number) => Array.from({ length: n }, () => context.getSequence());
      const distribution = async (sequence: LlamaContextSequence, tokens: Token[]) => [...(await firstStep(sequence, tokens, 0.8)).probabilities];
      // The prompt's next-token distribution, evaluated as a copy's is: the prefix, then the last
      // token (a different batching changes the float results in their last bits).
      const viaPrefix = async (sequence: LlamaContextSequence) => {
        await sequence.evaluateWithoutGeneratingNewTokens(PREFIX);
        return distribution(sequence, LAST);
      };

      it('carry the KV cells: each copy continues exactly as the original, and is a copy, not a view', async () => {
        const context = await attending.createContext({ contextSize: 256, sequences: 5 });
        const [source, a, b, reference, bare] = sequences(context, 5) as [LlamaContextSequence, LlamaContextSequence, LlamaContextSequence, LlamaContextSequence, LlamaContextSequence];
        const expected = await viaPrefix(reference);
        // the prefix matters to this model, so equal numbers below mean the cells really were copied
        expect(await distribution(bare, LAST)).not.toEqual(expected);
        await source.evaluateWithoutGeneratingNewTokens(PREFIX);
        copySequence(context, source, [a, b]);
        expect(a.contextTokens).toEqual(PREFIX);
        // one copy goes somewhere else first: neither the other copy nor the source may notice
        await distribution(a, [LAST[0]!, LAST[0]!]);
        expect(await distribution(b, LAST)).toEqual(expected);
        expect(await distribution(source, LAST)).toEqual(expected);
        await context.dispose();
      });

      it('a failed copy leaves every target empty on both sides, so each evaluates its own prompt correctly', async () => {
        const context = await attending.createContext({ contextSize: 256, sequences: 3 });
        const [source, target, reference] = sequences(context, 3) as [LlamaContextSequence, LlamaContextSequence, LlamaContextSequence];
        await target.evaluateWithoutGeneratingNewTokens(PROMPT.slice(0, 5)); // something to lose
        await source.evaluateWithoutGeneratingNewTokens(PREFIX);
        process.env.SHOTGLASS_FAULT_SEQUENCE_COPY = '1';
        try {
          expect(() => copySequence(context, source, [target])).toThrow(/Failed to copy/);
        } finally {
          delete process.env.SHOTGLASS_FAULT_SEQUENCE_COPY;
        }
        expect(target.contextTokens).toEqual([]);
        expect(await distribution(target, PROMPT)).toEqual(await distribution(reference, PROMPT));
        await context.dispose();
      });

      it('refuses to copy a sequence onto itself or twice onto one target, changing nothing', async () => {
        const context = await attending.createContext({ contextSize: 256, sequences: 2 });
        const [source, target] = sequences(context, 2) as [LlamaContextSequence, LlamaContextSequence];
        await source.evaluateWithoutGeneratingNewTokens(PREFIX);
        expect(() => copySequence(context, source, [source])).toThrow(/distinct/);
        expect(() => copySequence(context, source, [target, target])).toThrow(/distinct/);
        expect(source.contextTokens).toEqual(PREFIX);
        expect(await distribution(source, LAST)).toEqual(await viaPrefix(target));
        await context.dispose();
      });
    });
  });
});
