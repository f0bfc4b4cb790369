// A/B comparisons on the demo model: outputs as designed, parallel = one by one, forks, repeats,
// scoring, and saving and reopening exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEvent, Comparison, CompletionResult, SamplingInput } from '../../../core/api/contract.js';
import { firstDivergence } from '../../../core/compare/index.js';
import { BOS, demoModel, designedGreedy, designedText, EOS } from '../../../build/gguf/demo-model.js';
import { softmax } from '../../../build/gguf/llama-model.js';
import { startTestBackend, type TestService } from '../../helpers/backend.js';

const { design, tokenizer } = demoModel();
const ids = (text: string) => [BOS, ...tokenizer.tokenize(text)];
const SENTIMENT = 'Q: This movie sucks!\nA:';

let backend: TestService;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.dispose());

const variant = (id: string, text: string, sampling: SamplingInput, extra: object = {}) => ({
  id,
  label: id.toUpperCase(),
  modelId: backend.demoId,
  input: { mode: 'completion' as const, text },
  sampling,
  ...extra,
});

/** Start a comparison and collect every run's result. */
async function compare(spec: Parameters<TestService['api']['startComparison']>[0]['spec']) {
  const results = new Map<string, CompletionResult>();
  const states: ServiceEvent[] = [];
  let expected = Infinity;
  const done = new Promise<void>((resolve) => {
    const off = backend.onEvent((e) => {
      if (e.type === 'run.state') states.push(e);
      if (e.type === 'run.end') results.set(e.runId, e.result);
      if (results.size >= expected) {
        off();
        resolve();
      }
    });
  });
  const started = await backend.api.startComparison({ spec });
  expected = started.runs.length;
  await done;
  return { started, results, states };
}

describe('comparisons', () => {
  it('4 variants on one model give exactly the designed outputs, and the same as one by one', async () => {
    const variants = [
      variant('a', SENTIMENT, { temperature: 0, maxTokens: 12 }),
      variant('b', 'User: Hello!\nAssistant:', { temperature: 0, maxTokens: 12 }),
      variant('c', SENTIMENT, { temperature: 1.3, topK: 1, maxTokens: 12 }),
      variant('d', SENTIMENT, { temperature: 0, maxTokens: 12, tokenBias: [{ token: tokenizer.idOf('\u2581Positive')!, bias: 'never' }] }),
    ];
    const { started, results } = await compare({ name: 'four', variants, seed: 5 });
    const text = (id: string) => results.get(started.runs.find((r) => r.variantId === id)!.runId)!.text;
    expect(text('a')).toBe(designedText(design, designedGreedy(design, ids(SENTIMENT), 12)));
    expect(text('b')).toBe(designedText(design, designedGreedy(design, ids('User: Hello!\nAssistant:'), 12)));
    expect(text('c')).toBe(text('a'));
    expect(text('d').startsWith(' Negative')).toBe(true);
    for (const v of variants) {
      const alone = await backend.run(backend.demoId, v.input.text, v.sampling);
      expect(alone.result!.text).toBe(text(v.id));
    }
  });

  it('variants of one long prompt evaluate it once: one run evaluates, the others get a copy of its cache', async () => {
    const shots = ['This movie sucks!', 'What a great film.', 'I loved every minute.', 'Boring and far too long.', 'The acting was superb.'].flatMap((q) => [q, q.toUpperCase(), `Honestly: ${q}`]);
    const prompt = `Unique prefix ${Date.now()}.\n` + shots.map((q, i) => `Q: ${q}\nA: ${i % 2 ? 'Positive.' : 'Negative.'}`).join('\n') + '\nQ: I hated it.\nA:';
    const samplings: SamplingInput[] = [0, 0.6, 0.9, 1.2].map((temperature) => ({ temperature, topK: 0, maxTokens: 20 }));
    const { started, results } = await compare({ name: 'shared', variants: samplings.map((s, i) => variant(`v${i}`, prompt, s)), seed: 7 });
    const byVariant = (i: number) => results.get(started.runs.find((r) => r.variantId === `v${i}`)!.runId)!;
    const metrics = [0, 1, 2, 3].map((i) => byVariant(i).metrics);
    const promptTokens = ids(prompt).length;
    expect(metrics.every((m) => m.promptTokens === promptTokens)).toBe(true);
    // One run leads and evaluates; the others arrive while it does and get a copy. (A run whose
    // request reached the host after the leader had finished would lead a group of its own.)
    const leaders = metrics.filter((m) => m.sharedPromptTokens === undefined);
    const followers = metrics.filter((m) => m.sharedPromptTokens !== undefined);
    expect(leaders.length).toBeGreaterThanOrEqual(1);
    expect(followers.length).toBeGreaterThanOrEqual(2);
    // (a leader's sequence may still hold a BOS from an earlier run)
    for (const m of leaders) expect(m.evaluatedPromptTokens).toBeGreaterThanOrEqual(promptTokens - 1);
    for (const m of followers) {
      expect(m.sharedPromptTokens).toBe(promptTokens - 1);
      expect(m.evaluatedPromptTokens).toBe(1);
    }
    // End to end, every variant equals itself run alone (that the copied cells are exact is shown on
    // a model that attends, in native-addon.test.ts: the demo model's output ignores its KV cache).
    for (const [i, sampling] of samplings.entries()) {
      const alone = await backend.run(backend.demoId, prompt, { ...sampling, seed: started.runs.find((r) => r.variantId === `v${i}`)!.seed });
      expect(alone.result!.text).toBe(byVariant(i).text);
      expect(alone.result!.steps.map((st) => st.p)).toEqual(byVariant(i).steps.map((st) => st.p));
    }
  });

  it('does not copy caches while another run is decoding on the model, and the results stay right', async () => {
    const prompt = `Another unique prefix ${Date.now()}: the weather today is fine and the movie was long.\nQ: Is it good?\nA:`;
    // A run that cannot end early keeps decoding on the model the whole time.
    const busy = backend.run(backend.demoId, 'The model', { temperature: 1, topK: 0, maxTokens: 1500, seed: 1, tokenBias: [{ token: EOS, bias: 'never' }] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { started, results } = await compare({ name: 'unsafe', variants: [variant('x', prompt, { temperature: 0, maxTokens: 10 }), variant('y', prompt, { temperature: 0, maxTokens: 10 })], seed: 3 });
    const long = (await busy).result!;
    expect([long.finishReason, long.tokens.length]).toEqual(['maxTokens', 1500]);
    const out = started.runs.map((r) => results.get(r.runId)!);
    expect(out.every((r) => r.metrics.sharedPromptTokens === undefined)).toBe(true);
    expect(out[0]!.text).toBe(designedText(design, designedGreedy(design, ids(prompt), 10)));
    expect(out[1]!.text).toBe(out[0]!.text);
  });

  it('repeats use seeds s, s+1, ... and reproduce run by run', async () => {
    const { started, results } = await compare({
      name: 'repeats',
      variants: [variant('hot', 'The model', { temperature: 1.2, topK: 0, maxTokens: 30 }), variant('cold', 'The model', { temperature: 0, maxTokens: 30 })],
      repeats: 3,
      seed: 100,
    });
    const hot = started.runs.filter((r) => r.variantId === 'hot');
    expect(hot.map((r) => r.seed)).toEqual([100, 101, 102]);
    for (const run of hot) {
      const alone = await backend.run(backend.demoId, 'The model', { temperature: 1.2, topK: 0, maxTokens: 30, seed: run.seed });
      expect(alone.result!.text).toBe(results.get(run.runId)!.text);
    }
    expect(new Set(hot.map((r) => results.get(r.runId)!.text)).size).toBeGreaterThan(1);
  });

  it('more runs than the model\'s sequences wait their turn, visibly, and all finish', async () => {
    const variants = Array.from({ length: 6 }, (_, i) => variant(`v${i}`, SENTIMENT, { temperature: 0.9, maxTokens: 40 }));
    const { started, results, states } = await compare({ name: 'queue', variants, seed: 1 });
    expect(results.size).toBe(6);
    const queued = states.filter((e) => e.type === 'run.state' && e.state === 'queued').length;
    expect(queued).toBeGreaterThanOrEqual(2); // 4 sequences per model
    expect(started.runs.every((r) => results.get(r.runId)!.tokens.length > 0)).toBe(true);
  });

  it('a fork from a token\'s alternative continues with exactly the designed tokens', async () => {
    const base = await backend.run(backend.demoId, SENTIMENT, { temperature: 0, maxTokens: 6 });
    const steps = base.result!.steps;
    const at = 0;
    const alternative = steps[at]!.top.find((t) => t.id !== steps[at]!.id)!; // " Negative"
    const prefix = [...steps.slice(0, at).map((s) => s.id), alternative.id];
    const fork = await new Promise<CompletionResult>((resolve) => {
      let runId = '';
      backend.onEvent((e) => {
        if (e.type === 'run.end' && e.runId === runId) resolve(e.result);
      });
      void backend.api
        .startCompletion({ modelId: backend.demoId, prompt: SENTIMENT, prefix, sampling: { temperature: 0, maxTokens: 6 } })
        .then((r) => (runId = r.runId));
    });
    expect(fork.tokens).toEqual(designedGreedy(design, [...ids(SENTIMENT), ...prefix], 6));
    expect(fork.record.prompt.forcedTokens).toEqual(prefix);
    // The shared prompt was already in a sequence's cache: only the forced token was evaluated.
    expect(fork.metrics.evaluatedPromptTokens).toBeLessThanOrEqual(2);
  });

  it('scores how likely each variant\'s token is under the other\'s prompt', async () => {
    const scored = await backend.api.scoreTokens({
      modelId: backend.demoId,
      input: { mode: 'completion', text: SENTIMENT },
      candidates: [tokenizer.idOf('\u2581Positive')!, tokenizer.idOf('\u2581Negative')!],
      temperature: 1,
    });
    const dist = softmax(design.logits[design.stateOf[ids(SENTIMENT).at(-1)!]!]!);
    expect(scored.map((s) => s.text)).toEqual([' Positive', ' Negative']);
    scored.forEach((s) => expect(s.p).toBeCloseTo(dist[s.id]!, 4));
  });

  it('saves the verdict and reopens the comparison exactly as it was', async () => {
    const { started, results } = await compare({
      name: 'to save',
      variants: [variant('a', SENTIMENT, { temperature: 0, maxTokens: 8 }), variant('b', 'The model', { temperature: 0, maxTokens: 8 })],
      seed: 3,
    });
    const [ra, rb] = started.runs;
    await backend.api.saveComparison({
      comparisonId: started.comparisonId,
      name: 'Sentiment vs free text',
      verdict: { ratings: { [ra!.runId]: { thumb: 1 }, [rb!.runId]: { stars: 2 } }, winner: 'a', notes: 'a answers' },
    });
    await new Promise((r) => setTimeout(r, 100));
    const reopened: Comparison = await backend.api.getComparison({ comparisonId: started.comparisonId });
    expect(reopened.name).toBe('Sentiment vs free text');
    expect(reopened.verdict).toMatchObject({ winner: 'a', ratings: { [ra!.runId]: { thumb: 1 } }, notes: 'a answers' });
    for (const run of started.runs) {
      const live = results.get(run.runId)!;
      const stored = reopened.runs.find((r) => r.runId === run.runId)!.result!;
      expect(stored.text).toBe(live.text);
      expect(stored.steps).toEqual(live.steps);
      expect(stored.record).toEqual(live.record);
      expect(stored.metrics).toEqual(live.metrics);
    }
    const d = firstDivergence(reopened.runs[0]!.result!.steps, reopened.runs[1]!.result!.steps);
    expect(d?.index).toBe(0);
    const listed = await backend.api.listComparisons({});
    expect(listed.find((c) => c.id === started.comparisonId)).toMatchObject({ name: 'Sentiment vs free text', winner: 'a', repeats: 1 });
  });

  it('a fork joins the comparison as a new variant, and is reopened with it', async () => {
    const { started, results } = await compare({
      name: 'fork',
      variants: [variant('a', SENTIMENT, { temperature: 0, maxTokens: 6 }), variant('b', 'The model', { temperature: 0, maxTokens: 6 })],
      seed: 1,
    });
    const a = results.get(started.runs.find((r) => r.variantId === 'a')!.runId)!;
    const alternative = a.steps[0]!.top[1]!;
    const ended = new Promise<CompletionResult>((resolve) => {
      const off = backend.onEvent((e) => {
        if (e.type === 'run.end' && e.runId === forkRunId) {
          off();
          resolve(e.result);
        }
      });
    });
    let forkRunId = '';
    const added = await backend.api.addComparisonVariants({
      comparisonId: started.comparisonId,
      variants: [variant('a-fork', SENTIMENT, { temperature: 0, maxTokens: 6 }, { label: `A @1 ${alternative.text}`, prefix: [alternative.id] })],
    });
    forkRunId = added.runs[0]!.runId;
    const fork = await ended;
    expect(fork.tokens).toEqual(designedGreedy(design, [...ids(SENTIMENT), alternative.id], 6));
    await new Promise((r) => setTimeout(r, 100));
    const reopened = await backend.api.getComparison({ comparisonId: started.comparisonId });
    expect(reopened.spec.variants.map((v) => v.id)).toEqual(['a', 'b', 'a-fork']);
    expect(reopened.runs.find((r) => r.variantId === 'a-fork')!.result!.text).toBe(fork.text);
    await expect(
      backend.api.addComparisonVariants({ comparisonId: started.comparisonId, variants: [variant('a', 'x', {})] }),
    ).rejects.toMatchObject({ message: 'variants: the id "a" is already used in this comparison' });
  });

  it('refuses fewer than 2 or more than 6 variants, and duplicate ids, naming the field', async () => {
    await expect(backend.api.startComparison({ spec: { variants: [variant('a', 'x', {})] } })).rejects.toMatchObject({
      message: 'spec.variants needs at least 2 variants',
    });
    await expect(backend.api.startComparison({ spec: { variants: [variant('a', 'x', {}), variant('a', 'y', {})] } })).rejects.toMatchObject({
      message: expect.stringMatching(/^spec\.variants\.1\.id is used twice/),
    });
  });
});
