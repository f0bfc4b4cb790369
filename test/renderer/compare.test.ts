// The Compare view's store: variants and sweeps, the spec built by prepareRun, per-run streaming
// batched per frame (early events replayed), forks, the verdict, save and reopen, exports.
import { describe, expect, it, vi } from 'vitest';
import type { ServiceEvent, CompletionResult, TokenStep } from '../../core/api/contract';
import { starterTemplate } from '../../core/prompt/index';
import { buildSpec, forkVariant, move, parseSweepValues, prefixText, sweep, tallyVerdict, withShots, type VariantDraft } from '../../renderer/src/store/compare-variants';
import { createAppStore } from '../../renderer/src/store/create-store';
import { deferred, fakeApi, manualFrames, settle } from './fakes';
import { DEFAULT_SAMPLING } from '../../core/api/contract';

const step = (id: number, text: string, p = 0.5, top: TokenStep['top'] = []): TokenStep => ({ id, text, p, top });

function draft(overrides: Partial<VariantDraft> = {}): VariantDraft {
  return { id: 'a', label: 'A', modelId: 'demo', template: starterTemplate('sentiment-few-shot')!, sampling: { ...DEFAULT_SAMPLING, stop: [] }, ...overrides };
}

function result(text: string, steps: TokenStep[]): CompletionResult {
  return {
    text,
    tokens: steps.map((s) => s.id),
    steps,
    finishReason: 'maxTokens',
    metrics: { ttftMs: 12, totalMs: 50, promptTokens: 30, generatedTokens: steps.length, tokensPerSecond: 40, evaluatedPromptTokens: 30, promptTokensPerSecond: 900 },
    record: { model: { fileName: 'shotglass-demo.gguf' } } as CompletionResult['record'],
  };
}

describe('variants and sweeps', () => {
  it('parses sweep values and expands a temperature sweep', () => {
    expect(parseSweepValues('0, 0.7;1.2 0.7 x')).toEqual([0, 0.7, 1.2]);
    const out = sweep(draft(), 'temperature', '0, 0.7, 1.2');
    expect(out.ok).toBe(true);
    expect(out.drafts.map((d) => [d.label, d.sampling.temperature])).toEqual([
      ['T=0', 0],
      ['T=0.7', 0.7],
      ['T=1.2', 1.2],
    ]);
  });

  it('sweeps the number of shots, CoT on/off, and refuses what cannot apply', () => {
    const shots = sweep(draft(), 'shots', '0, 1, 3');
    expect(shots.drafts.map((d) => [d.template!.technique, d.template!.examples.filter((e) => e.enabled).length])).toEqual([
      ['zero-shot', 0],
      ['one-shot', 1],
      ['few-shot', 3],
    ]);
    expect(sweep(draft(), 'shots', '0, 9').error).toMatch(/4 examples/);
    expect(sweep(draft(), 'cot', '').drafts.map((d) => d.template!.technique)).toEqual(['few-shot', 'chain-of-thought']);
    expect(sweep(draft(), 'temperature', '0,0.1,0.2,0.3,0.4,0.5,0.6').error).toMatch(/at most 6/);
    expect(withShots(starterTemplate('sentiment-few-shot')!, 0).examples.every((e) => !e.enabled)).toBe(true);
  });

  it('builds the spec with prepareRun and names the variant that cannot be built', () => {
    const built = buildSpec('x', [draft(), draft({ id: 'b', label: 'B', sampling: { ...DEFAULT_SAMPLING, temperature: 1.2, stop: [] } })], {}, { repeats: 3, topProbabilities: 5 });
    if (!built.ok) throw new Error(built.error);
    expect(built.spec.repeats).toBe(3);
    expect(built.spec.variants[1]!.sampling.temperature).toBe(1.2);
    expect(built.spec.variants[0]!.input.mode).toBe('completion');
    expect(built.spec.variants[0]!.template?.hash).toMatch(/\w+/);
    expect(built.built[0]!.extraction?.rule).toBe('regex');
    const dup = buildSpec('x', [draft(), draft({ id: 'b' })], {}, { repeats: 1, topProbabilities: 5 });
    expect(dup.ok).toBe(false);
    expect(buildSpec('x', [draft()], {}, { repeats: 1, topProbabilities: 5 }).ok).toBe(false);
  });

  it('forks: the tokens before, then the alternative; the forced text is recovered from the parent', () => {
    const steps = [step(1, ' A'), step(2, ' B', 0.6, [{ id: 2, text: ' B', p: 0.6 }, { id: 9, text: ' Z', p: 0.3 }]), step(3, ' C')];
    const parent = buildSpec('x', [draft(), draft({ id: 'b', label: 'B' })], {}, { repeats: 1, topProbabilities: 5 });
    if (!parent.ok) throw new Error(parent.error);
    const fork = forkVariant(parent.spec.variants[0]!, steps, 1, { id: 9, text: ' Z' }, ['a', 'b']);
    expect(fork.id).toBe('a-f1');
    expect(fork.prefix).toEqual([1, 9]);
    expect(prefixText(fork.prefix, [{ steps }])).toBe(' A Z');
    expect(prefixText([1, 7], [{ steps }])).toBeNull();
  });

  it('tallies repeat winners and ratings; moves items', () => {
    const t = tallyVerdict({ ratings: { r1: { thumb: 1, stars: 4 }, r2: { thumb: -1 } }, winners: { '0': 'b', '1': 'b', '2': 'a' }, notes: '' }, [
      { runId: 'r1', variantId: 'b' },
      { runId: 'r2', variantId: 'a' },
    ], ['a', 'b']);
    expect(t.leader).toBe('b');
    expect(t.byVariant.b).toEqual({ wins: 2, up: 1, down: 0, starSum: 4, starCount: 1 });
    expect(move([1, 2, 3], 2, 0)).toEqual([3, 1, 2]);
  });
});

describe('compare store', () => {
  async function setup() {
    const start = deferred<{ comparisonId: string; seed: number; runs: Array<{ runId: string; variantId: string; repeat: number; seed: number }> }>();
    const fake = fakeApi({
      startComparison: vi.fn(() => start.promise),
      saveComparison: vi.fn(async () => ({ saved: true })),
      listComparisons: vi.fn(async () => []),
      addComparisonVariants: vi.fn(async () => ({ comparisonId: 'c1', seed: 7, runs: [{ runId: 'r3', variantId: 'a-f1', repeat: 0, seed: 7 }] })),
    });
    const frames = manualFrames();
    const store = createAppStore(fake.api, { scheduler: frames.scheduler });
    await store.getState().actions.init();
    await settle();
    store.getState().actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    return { fake, frames, store, start };
  }

  it('streams each run per frame, replays events that beat the start, and ends with the result', async () => {
    const { fake, frames, store, start } = await setup();
    const { actions } = store.getState();
    actions.compareWithCurrent();
    expect(store.getState().compare.view).toBe('compare');
    expect(store.getState().compare.drafts.map((d) => d.label)).toEqual(['A', 'B']);
    const running = actions.runComparison();
    // An event before startComparison answers is held, not lost.
    fake.emit({ type: 'run.state', runId: 'r1', state: 'running' }, { type: 'run.delta', runId: 'r1', text: ' Pos', tokens: 1, steps: [step(5, ' Pos')] });
    start.resolve({ comparisonId: 'c1', seed: 7, runs: [{ runId: 'r1', variantId: 'a', repeat: 0, seed: 7 }, { runId: 'r2', variantId: 'b', repeat: 0, seed: 7 }] });
    await running;
    fake.emit({ type: 'run.state', runId: 'r2', state: 'queued' });
    const before = store.getState().compare.runs.r2;
    fake.emit({ type: 'run.delta', runId: 'r1', text: 'itive', tokens: 1, steps: [step(6, 'itive')] });
    expect(store.getState().compare.runs.r1!.text).toBe('');
    expect(frames.scheduled).toBe(1);
    frames.frame();
    const r1 = store.getState().compare.runs.r1!;
    expect(r1.text).toBe(' Positive');
    expect(r1.tokenCount).toBe(2);
    expect(r1.status).toBe('running');
    // The queued run kept its object: its column does not re-render.
    expect(store.getState().compare.runs.r2).toBe(before);
    expect(before!.status).toBe('queued');
    const steps = [step(5, ' Pos'), step(6, 'itive', 0.4, [{ id: 6, text: 'itive', p: 0.4 }, { id: 8, text: 'ive', p: 0.3 }])];
    fake.emit({ type: 'run.end', runId: 'r1', result: result(' Positive', steps) } as ServiceEvent);
    expect(store.getState().compare.runs.r1!.status).toBe('done');
    expect(store.getState().compare.runs.r1!.ttftMs).toBe(12);

    // fork from the second token's alternative
    await actions.forkFrom('r1', 1, { id: 8, text: 'ive' });
    const call = vi.mocked(fake.api.addComparisonVariants).mock.calls[0]![0];
    expect(call.variants[0]!.prefix).toEqual([5, 8]);
    expect(store.getState().compare.current!.forced['a-f1']).toBe(' Posive');
    expect(store.getState().compare.runOrder).toEqual(['r1', 'r2', 'r3']);

    // verdict, save, export
    actions.rateRun('r1', { thumb: 1, stars: 5 });
    actions.setRepeatWinner(0, 'a');
    actions.setOverallWinner('a');
    await actions.saveComparison();
    expect(vi.mocked(fake.api.saveComparison).mock.calls[0]![0].verdict).toEqual({ ratings: { r1: { thumb: 1, stars: 5 } }, winners: { '0': 'a' }, winner: 'a', notes: '' });
    expect(store.getState().compare.saveState).toBe('saved');
    const md = actions.exportComparison('markdown')!;
    expect(md.fileName).toMatch(/\.md$/);
    expect(md.text).toContain('Winner');
    expect(actions.exportComparison('csv')!.text.split('\n').length).toBeGreaterThan(1);
  });

  it('stops one run or all', async () => {
    const { fake, store, start } = await setup();
    const { actions } = store.getState();
    actions.compareWithCurrent();
    fake.api.cancelComparison = vi.fn(async () => ({ cancelled: 2 }));
    const running = actions.runComparison();
    start.resolve({ comparisonId: 'c1', seed: 7, runs: [{ runId: 'r1', variantId: 'a', repeat: 0, seed: 7 }, { runId: 'r2', variantId: 'b', repeat: 0, seed: 7 }] });
    await running;
    actions.stopCompareRun('r1');
    expect(fake.api.cancelRun).toHaveBeenCalledWith({ runId: 'r1' });
    actions.stopComparison();
    expect(fake.api.cancelComparison).toHaveBeenCalledWith({ comparisonId: 'c1' });
    fake.emit({ type: 'run.error', runId: 'r2', error: { code: 'cancelled', message: 'stopped' } });
    expect(store.getState().compare.runs.r2!.status).toBe('cancelled');
  });
});
