// Real node-llama-cpp in a real host process on the designed demo model: the output must be
// exactly what the model's design says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOS, demoModel, designedGreedy, designedText } from '../../build/gguf/demo-model.js';
import { GgmlType } from '../../build/gguf/format.js';
import { storedDesign } from '../../build/gguf/llama-model.js';
import { fixture, startTestBackend, type TestService } from '../helpers/backend.js';

const { design, tokenizer } = demoModel();
const expectedGreedy = (prompt: string, maxTokens: number) =>
  designedText(design, designedGreedy(design, [BOS, ...tokenizer.tokenize(prompt)], maxTokens));

let backend: TestService;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.dispose());

describe('demo model completions', () => {
  it.each([
    ['Q: This movie sucks!\nA:', 24],
    ['Q: This movie sucks!', 24],
    ['Input: she go to school yesterday.\nOutput:', 16],
    ['User: Hello!\nAssistant:', 30],
    ['The model', 40],
  ])('greedy completion of %j equals the designed sequence', async (prompt, maxTokens) => {
    const { result, error } = await backend.run(backend.demoId, prompt, { temperature: 0, maxTokens });
    expect(error).toBeUndefined();
    const expected = expectedGreedy(prompt, maxTokens);
    expect(expected.length).toBeGreaterThan(0);
    expect(result!.text).toBe(expected);
    expect(result!.metrics.generatedTokens).toBe(result!.tokens.length);
    expect(result!.metrics.promptTokens).toBe(1 + tokenizer.tokenize(prompt).length);
  });

  it('keeps the leading space of the first generated token', async () => {
    const { result } = await backend.run(backend.demoId, 'Q: This movie sucks!\nA:', { temperature: 0, maxTokens: 2 });
    expect(result!.text).toBe(' Positive.');
  });

  it('streams one delta per token, adding up to the final text', async () => {
    const { result, deltas } = await backend.run(backend.demoId, 'The model', { temperature: 0, maxTokens: 40 });
    expect(result!.tokens.length).toBeGreaterThan(10);
    expect(deltas).toHaveLength(result!.tokens.length);
    expect(deltas.join('')).toBe(result!.text);
  });

  it('ends on max tokens, on a stop string, and reports which', async () => {
    const capped = await backend.run(backend.demoId, 'The model', { temperature: 0, maxTokens: 3 });
    expect(capped.result!.finishReason).toBe('maxTokens');
    expect(capped.result!.tokens).toHaveLength(3);
    const full = expectedGreedy('The model', 40);
    const stop = 'Positive';
    expect(full).toContain(stop);
    const stopped = await backend.run(backend.demoId, 'The model', { temperature: 0, maxTokens: 40, stop: [stop] });
    expect(stopped.result!.finishReason).toBe('stop');
    // Exact: the text ends just before the stop string, even inside a token ("▁Positive").
    expect(stopped.result!.text).toBe(full.slice(0, full.indexOf(stop)));
    expect(stopped.result!.stopString).toBe(stop);
  });

  it('detokenizes ids back to text, and refuses ids outside the vocabulary', async () => {
    const ids = tokenizer.tokenize('Q: The food was cold.');
    expect(await backend.api.detokenize({ modelId: backend.demoId, ids })).toEqual({ text: 'Q: The food was cold.' }); // the space prefix added by tokenizing is removed again
    const size = design.tokenizer.tokens.length;
    await expect(backend.api.detokenize({ modelId: backend.demoId, ids: [5, size] })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: `token id ${size} is outside the model's vocabulary of ${size}`,
    });
  });

  it('tokenizes exactly as the model was designed', async () => {
    const text = 'Q: The food was cold.\nA: Negative.';
    const { ids, pieces } = await backend.api.tokenize({ modelId: backend.demoId, text });
    expect(ids).toEqual([BOS, ...tokenizer.tokenize(text)]);
    expect(pieces.join('')).toContain('Negative');
  });
});

describe('sampling', () => {
  const prompt = 'The model';
  const sampling = { temperature: 1.2, topK: 0, topP: 1, minP: 0, maxTokens: 40 };

  it('the same seed gives the same text in two separate host processes', async () => {
    const first = await backend.run(backend.demoId, prompt, { ...sampling, seed: 42 });
    const other = await startTestBackend();
    try {
      const second = await other.run(other.demoId, prompt, { ...sampling, seed: 42 });
      expect(other.host.pid).not.toBe(backend.host.pid);
      expect(second.result!.text).toBe(first.result!.text);
      expect(second.result!.tokens).toEqual(first.result!.tokens);
    } finally {
      await other.dispose();
    }
  });

  it('different seeds give different text', async () => {
    const texts = new Set<string>();
    for (const seed of [1, 2, 3, 4]) texts.add((await backend.run(backend.demoId, prompt, { ...sampling, seed })).result!.text);
    expect(texts.size).toBeGreaterThan(1);
  });

  it('only ever produces tokens the design gives weight to', async () => {
    const { result } = await backend.run(backend.demoId, prompt, { ...sampling, temperature: 2, seed: 9, maxTokens: 200 });
    let last = tokenizer.tokenize(prompt).at(-1)!;
    for (const t of result!.tokens) {
      expect(design.logits[design.stateOf[last]!]![t]).toBeGreaterThan(-100);
      last = t;
    }
  });
});

describe('cancel', () => {
  it('stops a long run within a few tokens', async () => {
    let runId = '';
    let afterCancel = 0;
    let cancelled = false;
    const off = backend.onEvent((e) => {
      if (e.type === 'run.delta' && e.runId === runId && cancelled) afterCancel += e.tokens;
    });
    const first = new Promise<void>((resolve) => {
      const stop = backend.onEvent((e) => {
        if (e.type === 'run.delta' && e.runId === runId) {
          stop();
          resolve();
        }
      });
    });
    const ended = new Promise<import('../../core/api/contract.js').CompletionResult>((resolve) => {
      backend.onEvent((e) => {
        if (e.type === 'run.end' && e.runId === runId) resolve(e.result);
      });
    });
    runId = (
      await backend.api.startCompletion({
        modelId: backend.demoId,
        prompt: 'The model',
        // Greedy text on the demo model never ends by itself: only cancel can stop this run early.
        sampling: { temperature: 0, topK: 40, topP: 0.95, minP: 0.05, maxTokens: 32768, stop: [] },
      })
    ).runId;
    await first;
    const answer = await backend.api.cancelRun({ runId });
    cancelled = true;
    const result = await ended;
    off();
    expect(answer.cancelled).toBe(true);
    expect(result.finishReason).toBe('cancelled');
    expect(result.tokens.length).toBeLessThan(32768);
    expect(afterCancel).toBeLessThanOrEqual(3);
  });

  it('cancelling an unknown run is a no-op', async () => {
    expect(await backend.api.cancelRun({ runId: 'no-such-run' })).toEqual({ cancelled: false });
  });
});

describe('tensor types and tokenizers', () => {
  it.each([
    ['demo-f16.gguf', GgmlType.F16],
    ['demo-q8_0.gguf', GgmlType.Q8_0],
    ['demo-q4_0.gguf', GgmlType.Q4_0],
  ])('%s gives the greedy text its stored weights design', async (file, type) => {
    const stored = storedDesign(design, type);
    const model = await backend.api.openModel({ path: fixture(file) });
    await backend.api.loadModel({ modelId: model.id, skipChecks: false });
    for (const prompt of ['Q: This movie sucks!\nA:', 'User: Hello!\nAssistant:', 'The model']) {
      const { result } = await backend.run(model.id, prompt, { temperature: 0, maxTokens: 16 });
      const ids = designedGreedy(stored, [BOS, ...tokenizer.tokenize(prompt)], 16);
      expect(result!.tokens).toEqual(ids);
    }
    await backend.api.unloadModel({ modelId: model.id });
  });

  it('the BPE fixture tokenizes with its merges and ends on <|endoftext|>', async () => {
    const model = await backend.api.openModel({ path: fixture('bpe.gguf') });
    const { result } = await backend.run(model.id, 'Hello', { temperature: 0, maxTokens: 20 });
    expect(result!.text).toBe(' world from Shotglass.');
    expect(result!.finishReason).toBe('eos');
    const { ids, pieces } = await backend.api.tokenize({ modelId: model.id, text: 'Hello world' });
    expect(ids).toHaveLength(2);
    expect(pieces).toEqual(['Hello', ' world']);
  });
});
