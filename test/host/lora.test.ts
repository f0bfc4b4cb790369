// LoRA adapters on the demo model: a designed rank-1 adapter moves exactly one logit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOS, demoModel } from '../../build/gguf/demo-model.js';
import { softmax } from '../../build/gguf/llama-model.js';
import { DEMO_MODEL, startTestBackend, type TestService } from '../helpers/backend.js';
import { writeDemoLora } from '../helpers/lora.js';

const { design, tokenizer } = demoModel();
const PROMPT = 'Q: This movie sucks!\nA:';
const after = tokenizer.tokenize(PROMPT).at(-1)!; // "A:"
const negative = tokenizer.idOf('\u2581Negative')!;
const DELTA = 0.6; // Negative trails Positive by 0.405 in this state: scale 1 flips it, scale 0.5 does not
const dir = mkdtempSync(join(tmpdir(), 'sg-lora-'));
const adapterPath = join(dir, 'flip-sentiment.gguf');
const wrongArch = join(dir, 'for-qwen.gguf');

let backend: TestService;
beforeAll(async () => {
  writeDemoLora(adapterPath, after, negative, DELTA);
  writeDemoLora(wrongArch, after, negative, DELTA, 'qwen2');
  backend = await startTestBackend();
});
afterAll(() => backend.dispose());

const first = async (sampling = {}) =>
  (await backend.run(backend.demoId, PROMPT, { temperature: 0, maxTokens: 1, ...sampling })).result!;

describe('LoRA adapters', () => {
  it('an attached adapter shifts the designed logit by exactly scale x delta, and detaching restores it', async () => {
    expect((await first()).text).toBe(' Positive');

    const attached = await backend.api.setAdapters({ modelId: backend.demoId, adapters: [{ path: adapterPath, scale: 1 }] });
    expect(attached.adapters).toEqual([{ path: adapterPath, scale: 1 }]);
    const flipped = await first();
    expect(flipped.text).toBe(' Negative');
    const logits = Float32Array.from(design.logits[design.stateOf[after]!]!);
    logits[negative]! += DELTA;
    expect(flipped.steps[0]!.p).toBeCloseTo(softmax(logits)[negative]!, 4);
    expect(flipped.record.model.adapters).toEqual([{ fileName: 'flip-sentiment.gguf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), scale: 1 }]);

    await backend.api.setAdapters({ modelId: backend.demoId, adapters: [{ path: adapterPath, scale: 0.5 }] });
    const half = await first();
    expect(half.text).toBe(' Positive');
    const halfLogits = Float32Array.from(design.logits[design.stateOf[after]!]!);
    halfLogits[negative]! += DELTA / 2;
    expect(half.steps[0]!.top.find((t) => t.id === negative)!.p).toBeCloseTo(softmax(halfLogits)[negative]!, 4);

    const detached = await backend.api.setAdapters({ modelId: backend.demoId, adapters: [] });
    expect(detached.adapters).toEqual([]);
    const plain = await first();
    expect(plain.text).toBe(' Positive');
    expect(plain.steps[0]!.p).toBeCloseTo(softmax(design.logits[design.stateOf[after]!]!)[design.tokenizer.tokens.indexOf('\u2581Positive')]!, 4);
    expect(plain.record.model.adapters).toEqual([]);
  });

  it('adapters survive an inference-process restart', async () => {
    await backend.api.setAdapters({ modelId: backend.demoId, adapters: [{ path: adapterPath, scale: 1 }] });
    process.kill(backend.host.pid!, 'SIGKILL');
    await expect.poll(() => backend.events.some((e) => e.type === 'host' && e.status === 'crashed')).toBe(true);
    expect((await first()).text).toBe(' Negative');
    await backend.api.setAdapters({ modelId: backend.demoId, adapters: [] });
  });

  it.each([
    ['a model file', DEMO_MODEL, /is not a LoRA adapter \(it is a model file\)/],
    ['an adapter for another architecture', wrongArch, /is an adapter for qwen2 models, but this model is llama/],
    ['a missing file', join(dir, 'nope.gguf'), /does not exist/],
  ])('refuses %s with a clear error and keeps the model working', async (_, path, message) => {
    await backend.api.loadModel({ modelId: backend.demoId });
    await expect(backend.api.setAdapters({ modelId: backend.demoId, adapters: [{ path, scale: 1 }] })).rejects.toMatchObject({
      message: expect.stringMatching(message),
    });
    expect((await first()).text).toBe(' Positive');
  });
});

it('design check: the adapter state is "A:"', () => {
  expect(design.tokenizer.tokens[after]).toBe('A:');
  expect([BOS, ...tokenizer.tokenize(PROMPT)].at(-1)).toBe(after);
});
