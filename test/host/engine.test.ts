// The inference engine at full strength, on the designed demo model: every number it reports is
// checked against what the model's design says.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionResult, SamplingInput } from '../../core/api/contract.js';
import { BOS, DEMO_CHAT_TEMPLATE, demoModel, designedGreedy, designedText, EOS } from '../../build/gguf/demo-model.js';
import { softmax } from '../../build/gguf/llama-model.js';
import { DEMO_MODEL, fixture, startTestBackend, type TestService } from '../helpers/backend.js';

const { design, tokenizer } = demoModel();
const PROMPT = 'Q: This movie sucks!\nA:';
const promptIds = (text: string) => [BOS, ...tokenizer.tokenize(text)];
const row = (prev: number) => design.logits[design.stateOf[prev]!]!;
const id = (piece: string) => tokenizer.idOf(piece)!;
const argmax = (values: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
};
const NO_FILTERS = { topK: 0, topP: 1, minP: 0 } as const;

let backend: TestService;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.dispose());

async function run(prompt: string, sampling: SamplingInput, extra: { topProbabilities?: number } = {}): Promise<CompletionResult> {
  const outcome = await new Promise<CompletionResult>((resolve, reject) => {
    let runId = '';
    const off = backend.onEvent((e) => {
      if (e.type === 'run.end' && e.runId === runId) resolve(e.result);
      if (e.type === 'run.error' && e.runId === runId) reject(new Error(e.error.message));
    });
    backend.api
      .startCompletion({ modelId: backend.demoId, prompt, sampling, ...extra })
      .then((r) => (runId = r.runId), reject)
      .finally(() => setTimeout(off, 60_000));
  });
  return outcome;
}

describe('token probabilities', () => {
  it.each([1, 0.5, 1.5])('equal the designed distribution at temperature %d, to 1e-4', async (temperature) => {
    const result = await run(PROMPT, { ...NO_FILTERS, temperature, seed: 11, maxTokens: 30 }, { topProbabilities: 5 });
    expect(result.steps).toHaveLength(30);
    let prev = promptIds(PROMPT).at(-1)!;
    for (const step of result.steps) {
      const dist = softmax(row(prev), temperature);
      expect(step.p).toBeCloseTo(dist[step.id]!, 4);
      const expectedTop = [...dist.keys()].sort((a, b) => dist[b]! - dist[a]!).slice(0, 5);
      expect(step.top.map((t) => t.id)).toEqual(expectedTop);
      for (const alt of step.top) expect(alt.p).toBeCloseTo(dist[alt.id]!, 4);
      prev = step.id;
    }
  });

  it('at temperature 0 report the model\'s own distribution, and the greedy token is its top', async () => {
    const result = await run(PROMPT, { ...NO_FILTERS, temperature: 0, maxTokens: 10 }, { topProbabilities: 3 });
    let prev = promptIds(PROMPT).at(-1)!;
    for (const step of result.steps) {
      const dist = softmax(row(prev), 1);
      expect(step.id).toBe(argmax(dist));
      expect(step.p).toBeCloseTo(dist[step.id]!, 4);
      expect(step.top[0]!.id).toBe(step.id);
      prev = step.id;
    }
  });

  it('name each alternative as it would read in the text', async () => {
    const result = await run(PROMPT, { temperature: 0, maxTokens: 1 }, { topProbabilities: 3 });
    expect(result.steps[0]!.top.map((t) => t.text)).toEqual([' Positive', ' Negative', " Let's"]);
    expect(result.steps[0]!.text).toBe(' Positive');
  });

  it('step texts add up to the text, and 0 alternatives still gives each token\'s probability', async () => {
    const result = await run('The model', { temperature: 0.9, seed: 3, maxTokens: 40 }, { topProbabilities: 0 });
    expect(result.steps.map((s) => s.text).join('')).toBe(result.text);
    expect(result.steps.every((s) => s.top.length === 0 && s.p > 0 && s.p <= 1)).toBe(true);
  });
});

describe('samplers change the output as designed', () => {
  it('top-k 1 is greedy, whatever the temperature', async () => {
    const result = await run(PROMPT, { temperature: 1.5, topK: 1, topP: 1, minP: 0, seed: 5, maxTokens: 20 });
    expect(result.tokens).toEqual(designedGreedy(design, promptIds(PROMPT), 20));
  });

  it('top-k 2 only ever picks one of the two most likely tokens', async () => {
    const result = await run('The model', { temperature: 1.5, topK: 2, topP: 1, minP: 0, seed: 8, maxTokens: 60 });
    let prev = promptIds('The model').at(-1)!;
    for (const t of result.tokens) {
      // Tokens tied with the 2nd may stand in for it (llama.cpp orders equal logits arbitrarily).
      const sorted = [...row(prev)].sort((a, b) => b - a);
      expect(row(prev)[t]!).toBeGreaterThanOrEqual(sorted[1]!);
      prev = t;
    }
  });

  it('min-p 0.5 only keeps tokens at least half as likely as the best', async () => {
    const result = await run('The model', { temperature: 1, topK: 0, topP: 1, minP: 0.5, seed: 2, maxTokens: 60 });
    let prev = promptIds('The model').at(-1)!;
    for (const t of result.tokens) {
      const dist = softmax(row(prev));
      expect(dist[t]!).toBeGreaterThanOrEqual(0.5 * Math.max(...dist) - 1e-6);
      prev = t;
    }
  });

  it('top-p keeps the smallest set of tokens whose probabilities reach p', async () => {
    const result = await run('The model', { temperature: 1, topK: 0, topP: 0.6, minP: 0, seed: 4, maxTokens: 60 });
    let prev = promptIds('The model').at(-1)!;
    for (const t of result.tokens) {
      const dist = softmax(row(prev));
      const sorted = [...dist].sort((a, b) => b - a);
      let mass = 0;
      let threshold = 0;
      for (const p of sorted) {
        mass += p;
        threshold = p;
        if (mass >= 0.6) break;
      }
      // In the nucleus, or tied with its least likely member (equal logits come in any order).
      expect(dist[t]!).toBeGreaterThanOrEqual(threshold - 1e-9);
      prev = t;
    }
  });

  it('a token bias of "never" removes a token: greedy takes the runner-up', async () => {
    const result = await run(PROMPT, { temperature: 0, maxTokens: 1, tokenBias: [{ token: id('\u2581Positive'), bias: 'never' }] });
    expect(result.tokens).toEqual([id('\u2581Negative')]);
  });

  it('a bias on the end token works too: "never" samples to the token budget, a large one ends at once', async () => {
    // (node-llama-cpp's TokenBias skips end-of-generation tokens; the engine sets them itself)
    const sampling = { temperature: 1, topK: 0, seed: 1 };
    const free = await run('The model', { ...sampling, maxTokens: 600 });
    expect(free.finishReason).toBe('eos');
    const never = await run('The model', { ...sampling, maxTokens: 600, tokenBias: [{ token: EOS, bias: 'never' }] });
    expect([never.finishReason, never.tokens.length]).toEqual(['maxTokens', 600]);
    const eager = await run('The model', { ...sampling, maxTokens: 50, tokenBias: [{ token: EOS, bias: 100 }] });
    expect([eager.finishReason, eager.tokens.length]).toEqual(['eos', 0]);
  });

  it('a positive bias is added to the logit', async () => {
    const logits = row(promptIds(PROMPT).at(-1)!);
    const target = id('\u2581Let\'s');
    const gap = logits[id('\u2581Positive')]! - logits[target]!;
    const below = await run(PROMPT, { temperature: 0, maxTokens: 1, tokenBias: [{ token: target, bias: gap - 0.01 }] });
    const above = await run(PROMPT, { temperature: 0, maxTokens: 1, tokenBias: [{ token: target, bias: gap + 0.01 }] });
    expect(below.tokens).toEqual([id('\u2581Positive')]);
    expect(above.tokens).toEqual([target]);
  });

  it('repeat, presence and frequency penalties follow llama.cpp\'s formula over the last N tokens', async () => {
    const sampling = { repeatPenalty: 1.3, presencePenalty: 0.2, frequencyPenalty: 0.1, penaltyLastN: 16 };
    const result = await run(PROMPT, { temperature: 0, maxTokens: 30, ...sampling });
    // Simulate: logit * penalty (logits here are all <= 0), minus count * frequency, minus presence.
    const history = promptIds(PROMPT);
    const expected: number[] = [];
    for (let i = 0; i < 30; i++) {
      const logits = Float64Array.from(row(history.at(-1)!));
      const counts = new Map<number, number>();
      for (const t of history.slice(-sampling.penaltyLastN)) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [t, c] of counts) {
        logits[t] = logits[t]! <= 0 ? logits[t]! * sampling.repeatPenalty : logits[t]! / sampling.repeatPenalty;
        logits[t]! -= c * sampling.frequencyPenalty + sampling.presencePenalty;
      }
      const next = argmax(logits);
      if (next === EOS) break;
      expected.push(next);
      history.push(next);
    }
    expect(result.tokens).toEqual(expected);
    expect(result.tokens).not.toEqual(designedGreedy(design, promptIds(PROMPT), 30));
  });

  it.each<[string, SamplingInput, number]>([
    ['XTC', { xtc: { probability: 1, threshold: 0.1 } }, 1],
    // Greedy text on the demo model loops (" Positive.\nA: Positive. ..."): DRY must break the loop.
    // (Its lines are cut by "\n" and ":", DRY's default sequence breakers, so use none.)
    ['DRY', { dry: { strength: 2, sequenceBreakers: [] } }, 0],
  ])('%s changes the text, reproducibly with the same seed', async (_, extra, temperature) => {
    const base = { temperature, topK: 0, topP: 1, minP: 0, seed: 21, maxTokens: 80 };
    const plain = await run(PROMPT, base);
    const withSampler = await run(PROMPT, { ...base, ...extra });
    const again = await run(PROMPT, { ...base, ...extra });
    expect(withSampler.text).not.toBe(plain.text);
    expect(again.text).toBe(withSampler.text);
  });

  it('trimWhitespace drops trailing whitespace from the finished text', async () => {
    const raw = await run(PROMPT, { temperature: 0, maxTokens: 3 });
    const trimmed = await run(PROMPT, { temperature: 0, maxTokens: 3, trimWhitespace: true });
    expect(raw.text).toBe(' Positive.\n');
    expect(trimmed.text).toBe(' Positive.');
  });

  it.each([
    [{ temperature: 3 }, /^sampling\.temperature must be at most 2$/],
    [{ repeatPenalty: 1.2, penaltyLastN: 0 }, /^sampling\.penaltyLastN is 0, so the repeat\/presence\/frequency penalties would look at no tokens/],
    [{ tokenBias: [{ token: 5, bias: 1 }, { token: 5, bias: 2 }] }, /^sampling\.tokenBias\.1\.token biases 5 twice$/],
    [{ xtc: { probability: 0.5, threshold: 0.7 } }, /^sampling\.xtc\.threshold must be at most 0\.5$/],
    [{ stop: ['\n', '\n'] }, /^sampling\.stop has the same stop string twice$/],
  ] as const)('refuses %j, naming the field', async (sampling, message) => {
    await expect(
      backend.api.startCompletion({ modelId: backend.demoId, prompt: PROMPT, sampling: sampling as SamplingInput }),
    ).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(message) });
  });
});

describe('chat mode', () => {
  const messages = [
    { role: 'system' as const, content: 'You are a helpful assistant.' },
    { role: 'user' as const, content: 'Hello!' },
  ];

  it('renders messages through the model\'s own Jinja template, with the tokens it will evaluate', async () => {
    const rendered = await backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages } });
    // One string, tokenized once (no stray spaces between template parts), BOS added as the model asks;
    // the space after <s> is SentencePiece's prefix space, shown because the model receives it.
    expect(rendered.text).toBe('<s> System: You are a helpful assistant.\nUser: Hello!\nAssistant:');
    const expectedIds = [BOS, ...tokenizer.tokenize('System: You are a helpful assistant.\nUser: Hello!\nAssistant:')];
    expect(rendered.tokens.map((t) => t.id)).toEqual(expectedIds);
    expect(rendered.tokens[0]).toEqual({ id: BOS, text: '<s>', special: true });
    expect(rendered.tokens.slice(1).every((t) => !t.special)).toBe(true);
  });

  it('a template override replaces the model\'s', async () => {
    const template = "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}";
    const rendered = await backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages, template } });
    expect(rendered.text).toContain('[system] You are a helpful assistant.\n[user] Hello!\n[assistant]');
  });

  it('a broken template is a clear error', async () => {
    await expect(
      backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages, template: '{% for m in messages %}' } }),
    ).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/^the chat template could not be rendered: /) });
  });

  it('generates from the rendered prompt and stops at the end of the assistant\'s turn', async () => {
    const rendered = await backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'chat', messages } });
    const outcome = await new Promise<CompletionResult>((resolve) => {
      let runId = '';
      backend.onEvent((e) => {
        if (e.type === 'run.end' && e.runId === runId) resolve(e.result);
      });
      void backend.api
        .startCompletion({ modelId: backend.demoId, input: { mode: 'chat', messages }, sampling: { temperature: 0, maxTokens: 40 } })
        .then((r) => (runId = r.runId));
    });
    const greedy = designedText(design, designedGreedy(design, rendered.tokens.map((t) => t.id), 40));
    expect(rendered.stopStrings.length).toBeGreaterThan(0);
    const cut = Math.min(...rendered.stopStrings.map((s) => (greedy.indexOf(s) < 0 ? Infinity : greedy.indexOf(s))));
    expect(outcome.text).toBe(greedy.slice(0, cut));
    expect(outcome.finishReason).toBe('stop');
    expect(outcome.record.prompt.mode).toBe('chat');
  });

  it('completion mode renders the raw text with BOS', async () => {
    const rendered = await backend.api.renderPrompt({ modelId: backend.demoId, input: { mode: 'completion', text: PROMPT } });
    expect(rendered.tokens.map((t) => t.id)).toEqual(promptIds(PROMPT));
    expect(rendered.text).toBe(`<s> ${PROMPT}`);
    expect(rendered.contextSize).toBeGreaterThanOrEqual(4096);
  });
});

describe('constrained output', () => {
  const schema = {
    type: 'object',
    properties: { sentiment: { enum: ['Positive', 'Negative'] }, score: { type: 'integer' } },
    required: ['sentiment', 'score'],
  };

  it.each([1, 2, 3])('JSON-schema output always parses and validates (seed %d)', async (seed) => {
    const outcome = await new Promise<CompletionResult>((resolve, reject) => {
      let runId = '';
      backend.onEvent((e) => {
        if (e.type === 'run.end' && e.runId === runId) resolve(e.result);
        if (e.type === 'run.error' && e.runId === runId) reject(new Error(e.error.message));
      });
      void backend.api
        .startCompletion({
          modelId: backend.demoId,
          prompt: 'Text: Ann Lee, 34, lives in Paris.\nJSON:',
          sampling: { temperature: 0.8, seed, maxTokens: 200 },
          constraint: { type: 'json-schema', schema },
        })
        .then((r) => (runId = r.runId));
    });
    const value = JSON.parse(outcome.text) as { sentiment: string; score: number };
    expect(['Positive', 'Negative']).toContain(value.sentiment);
    expect(Number.isInteger(value.score)).toBe(true);
    expect(Object.keys(value).sort()).toEqual(['score', 'sentiment']);
    expect(outcome.record.constraint?.type).toBe('json-schema');
  });

  it('a GBNF grammar constrains the text', async () => {
    const outcome = await new Promise<CompletionResult>((resolve) => {
      let runId = '';
      backend.onEvent((e) => {
        if (e.type === 'run.end' && e.runId === runId) resolve(e.result);
      });
      void backend.api
        .startCompletion({
          modelId: backend.demoId,
          prompt: PROMPT,
          sampling: { temperature: 1, seed: 3, maxTokens: 20 },
          constraint: { type: 'grammar', gbnf: 'root ::= " " ("Positive" | "Negative") "."' },
        })
        .then((r) => (runId = r.runId));
    });
    expect([' Positive.', ' Negative.']).toContain(outcome.text);
  });

  it.each([
    [{ type: 'grammar' as const, gbnf: 'root ::= (' }, /^the grammar cannot be used: /],
    [{ type: 'json-schema' as const, schema: { type: 'no-such-type' } }, /^the JSON schema cannot be used: /],
  ])('an invalid constraint fails before any token is generated', async (constraint, message) => {
    const error = await new Promise<{ code: string; message: string }>((resolve) => {
      let runId = '';
      let deltas = 0;
      backend.onEvent((e) => {
        if (e.type === 'run.delta' && e.runId === runId) deltas++;
        if (e.type === 'run.error' && e.runId === runId) resolve({ ...e.error, message: deltas ? 'tokens were generated' : e.error.message });
      });
      void backend.api
        .startCompletion({ modelId: backend.demoId, prompt: PROMPT, sampling: { maxTokens: 5 }, constraint })
        .then((r) => (runId = r.runId));
    });
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(message);
  });
});

describe('parallel runs and the KV cache', () => {
  const jobs = [
    { prompt: PROMPT, sampling: { temperature: 0.9, seed: 1, maxTokens: 50 } },
    { prompt: 'The model', sampling: { temperature: 1.2, seed: 2, maxTokens: 50 } },
    { prompt: 'User: Hello!\nAssistant:', sampling: { temperature: 0, maxTokens: 50 } },
    { prompt: PROMPT, sampling: { temperature: 0.7, seed: 4, maxTokens: 50 } },
  ];

  it('runs started at once give exactly what the same runs give one by one', async () => {
    const oneByOne: string[] = [];
    for (const job of jobs) oneByOne.push((await run(job.prompt, job.sampling)).text);
    const together = await Promise.all(jobs.map((job) => run(job.prompt, job.sampling)));
    expect(together.map((r) => r.text)).toEqual(oneByOne);
  });

  it('re-running a prompt evaluates only what is not cached already', async () => {
    const base = 'Text: The report says sales grew in every region and costs fell for the third year.\nSummary:';
    const first = await run(base, { temperature: 0, maxTokens: 4 });
    const again = await run(base, { temperature: 0, maxTokens: 4 });
    const longer = await run(`${base} Sales`, { temperature: 0, maxTokens: 4 });
    expect(first.metrics.promptTokens).toBe(promptIds(base).length);
    expect(again.metrics.evaluatedPromptTokens).toBe(1);
    expect(again.text).toBe(first.text);
    expect(longer.metrics.evaluatedPromptTokens).toBeLessThanOrEqual(3);
    expect(longer.metrics.promptTokens).toBe(promptIds(`${base} Sales`).length);
  });
});

describe('reproducibility record', () => {
  it('records the file hash, the runtime and every setting; replaying it gives the same output', async () => {
    const first = await run(PROMPT, { temperature: 1.1, topK: 0, maxTokens: 40 });
    const { record } = first;
    expect(record.model.sha256).toBe(createHash('sha256').update(readFileSync(DEMO_MODEL)).digest('hex'));
    expect(record.model).toMatchObject({ architecture: 'llama', quantization: 'F32', fileName: 'shotglass-demo.gguf' });
    expect(record.runtime.backend).toBe('cpu');
    expect(record.runtime.nodeLlamaCpp).toBe('3.21.1');
    expect(record.runtime.llamaCpp).not.toBe('');
    expect(Number.isInteger(record.sampling.seed)).toBe(true);
    expect(record.prompt.tokens).toBe(promptIds(PROMPT).length);
    const replay = await run(PROMPT, record.sampling, { topProbabilities: record.topProbabilities });
    expect(replay.text).toBe(first.text);
    expect(replay.record.prompt.sha256).toBe(record.prompt.sha256);
    expect(replay.record.sampling).toEqual(record.sampling);
  });
});

describe('inspecting and placing models', () => {
  it('reads what a GGUF file is without loading it', async () => {
    const info = await backend.api.inspectModel({ path: DEMO_MODEL });
    expect(info).toMatchObject({
      fileName: 'shotglass-demo.gguf',
      architecture: 'llama',
      quantization: 'F32',
      contextLength: 4096,
      layers: 1,
      vocabularySize: design.tokenizer.tokens.length,
      tokenizer: 'llama',
      bos: { id: BOS, text: '<s>' },
      eos: { id: EOS, text: '</s>' },
      chatTemplate: DEMO_CHAT_TEMPLATE,
    });
    expect(info.parameters).toBeGreaterThan(0);
    expect(info.memory.fits).toBe(true);
    expect(info.memory.modelRam + info.memory.contextRam).toBeGreaterThan(0);
  });

  it('refuses a load that will not fit, saying how much is needed and free; a smaller context loads', async () => {
    const path = fixture('huge-context.gguf');
    const info = await backend.api.inspectModel({ path, contextSize: 1_048_576 });
    expect(info.contextLength).toBe(4_194_304);
    expect(info.layers).toBe(32);
    expect(info.memory.fits).toBe(false);
    expect(info.memory.contextRam).toBeGreaterThan(info.memory.freeRam);
    const model = await backend.api.openModel({ path });
    await expect(backend.api.loadModel({ modelId: model.id, options: { contextSize: 1_048_576 } })).rejects.toMatchObject({
      code: 'model-error',
      message: expect.stringMatching(
        /^Could not load huge-context\.gguf: it would need [\d.]+ GB of RAM \(model [\d.]+ MB, context [\d.]+ GB\) but [\d.]+ GB is free; choose a smaller context, fewer parallel sequences or fewer GPU layers, or load anyway$/,
      ),
    });
    const loaded = await backend.api.loadModel({ modelId: model.id, options: { contextSize: 2048 } });
    expect(loaded.state).toBe('loaded');
    expect(loaded.contextSize).toBeGreaterThanOrEqual(2048);
    await backend.api.unloadModel({ modelId: model.id });
  });

  it('reports the system and refuses a backend the machine lacks, in words, and keeps working', async () => {
    const info = await backend.api.getSystemInfo({});
    expect(info.backend).toBe('cpu');
    expect(info.availableBackends).toContain('cpu');
    const missing = (['cuda', 'vulkan', 'metal'] as const).find((b) => !info.availableBackends.includes(b));
    if (missing) {
      await expect(backend.api.setAccelerator({ backend: missing })).rejects.toMatchObject({
        message: expect.stringMatching(new RegExp(`^the ${missing} backend is not available on this machine`)),
      });
    }
    const after = await run(PROMPT, { temperature: 0, maxTokens: 2 });
    expect(after.text).toBe(' Positive.');
  });
});
