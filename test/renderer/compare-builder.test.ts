// The compare builder against the workbench and saved comparisons (issue 14): a reopened comparison
// re-runs exactly as saved (defect 2); the builder follows the template it was made from (defect 3);
// the default shots sweep fits the template (defect 10). Store tests on a scripted API.
import { describe, expect, it, vi } from 'vitest';
import type { ApiInput, Comparison } from '../../core/api/contract';
import { DEFAULT_SAMPLING } from '../../core/api/contract';
import { STARTERS, starterTemplate } from '../../core/prompt/index';
import { followWorkbench } from '../../renderer/src/store/compare-follow';
import { defaultShots, sweep, sweepDefaults, type VariantDraft } from '../../renderer/src/store/compare-variants';
import { createAppStore } from '../../renderer/src/store/create-store';
import { fakeApi, manualFrames, settle } from './fakes';

type StartInput = ApiInput<'startComparison'>;

async function setup(saved?: Comparison) {
  const started: StartInput[] = [];
  const fake = fakeApi({
    startComparison: vi.fn(async (input: StartInput) => {
      started.push(structuredClone(input));
      return { comparisonId: `c${started.length}`, seed: input.spec.seed ?? 5, runs: [] };
    }),
    listComparisons: vi.fn(async () => []),
    getComparison: vi.fn(async () => structuredClone(saved!)),
  });
  const store = createAppStore(fake.api, { scheduler: manualFrames().scheduler });
  await store.getState().actions.init();
  await settle();
  return { store, started, actions: store.getState().actions, compare: () => store.getState().compare };
}

const draftOf = (id: string, template = starterTemplate(id)!): VariantDraft => ({ id: 'a', label: 'A', modelId: 'demo', template, sampling: { ...DEFAULT_SAMPLING, stop: [] } });

describe('the default shots sweep follows the template (defect 10)', () => {
  it('applies to every starter that has examples, from 0 to all of them', () => {
    const withExamples = STARTERS.filter((s) => s.template.examples.length > 0);
    expect(withExamples.length).toBeGreaterThan(2);
    for (const starter of withExamples) {
      const base = draftOf(starter.id);
      const n = base.template!.examples.length;
      const values = sweepDefaults('shots', base);
      const result = sweep(base, 'shots', values);
      expect(result.error, `${starter.id}: ${values}`).toBeUndefined();
      const shown = result.drafts.map((d) => d.template!.examples.filter((e) => e.enabled).length);
      expect(shown[0]).toBe(0);
      expect(shown.at(-1)).toBe(n);
    }
    expect(defaultShots(3)).toEqual([0, 1, 3]);
    expect(defaultShots(4)).toEqual([0, 1, 3, 4]);
    expect(defaultShots(12)).toEqual([0, 1, 3, 5, 12]);
  });

  it('the builder’s Expand with the default values works on the few-shot starter', async () => {
    const { actions, compare, store } = await setup();
    actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    actions.compareWithCurrent();
    expect(actions.applySweep('shots', sweepDefaults('shots', compare().drafts[0]))).toBe(true);
    expect(compare().buildError).toBeNull();
    expect(compare().drafts.at(-1)!.template!.examples.filter((e) => e.enabled)).toHaveLength(store.getState().template.draft.examples.length);
  });
});

describe('a reopened comparison re-runs exactly as saved (defect 2)', () => {
  const sampling = (changes: object) => ({ ...DEFAULT_SAMPLING, stop: ['\n'], ...changes });
  const saved: Comparison = {
    id: 'saved-1',
    createdAt: 1,
    name: 'Aspect sentiment',
    seed: 99,
    spec: {
      name: 'Aspect sentiment',
      repeats: 2,
      topProbabilities: 3,
      seed: 99,
      variants: [
        {
          id: 'a',
          label: 'cool',
          modelId: 'demo',
          input: { mode: 'completion', text: 'Aspect: price\nQ: Too dear.\nA:' },
          sampling: sampling({ temperature: 0.2, maxTokens: 12 }),
          template: { name: 'Aspect', hash: 'h1' },
          extraction: { rule: 'regex', pattern: '(Positive|Negative)', flags: '' },
        },
        { id: 'b', label: 'chatty', modelId: 'demo', input: { mode: 'chat', messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Price: too dear?' }] }, sampling: sampling({ temperature: 0.9, maxTokens: 20 }) },
        { id: 'a-f1', label: 'cool @2→"x"', modelId: 'demo', input: { mode: 'completion', text: 'Aspect: price\nQ: Too dear.\nA:' }, sampling: sampling({ temperature: 0.2, maxTokens: 12, seed: 99 }), prefix: [5, 8] },
      ],
    },
    runs: [],
    verdict: { ratings: {}, winners: {}, notes: '' },
  };

  it('"Edit variants" shows the saved variants and "Run again" sends them unchanged, whatever the workbench shows', async () => {
    const { actions, compare, started, store } = await setup(saved);
    // The workbench shows another template with other settings, as after a reload.
    actions.newFromStarter(starterTemplate('grammar-correction')!);
    actions.updateSampling({ temperature: 1.3, maxTokens: 3000 });
    actions.setView('compare');
    expect(compare().drafts.map((d) => d.label)).toEqual(['A', 'B']);
    await actions.openComparison('saved-1');
    actions.editComparison();
    expect(compare().current).toBeNull();
    expect(compare().drafts.map((d) => [d.label, d.sampling.temperature, d.sampling.maxTokens])).toEqual([
      ['cool', 0.2, 12],
      ['chatty', 0.9, 20],
      ['cool @2→"x"', 0.2, 12],
    ]);
    expect([compare().repeats, compare().seed]).toEqual([2, 99]);
    await actions.runComparison();
    expect(compare().buildError).toBeNull();
    expect(started).toHaveLength(1);
    const spec = started[0]!.spec;
    expect(spec.variants).toEqual(saved.spec.variants);
    expect([spec.repeats, spec.seed, spec.topProbabilities]).toEqual([2, 99, 3]);
    // The workbench was not touched.
    expect(store.getState().template.draft.name).toBe(starterTemplate('grammar-correction')!.name);
  });

  it('"Run again" straight from the reopened results runs the saved variants too', async () => {
    const { actions, started } = await setup(saved);
    actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    actions.setView('compare');
    await actions.openComparison('saved-1');
    await actions.runComparison();
    expect(started[0]!.spec.variants).toEqual(saved.spec.variants);
    expect(started[0]!.spec.seed).toBe(99);
  });

  it('a reopened variant’s settings can still be changed; its prompt stays as saved', async () => {
    const { actions, compare, started } = await setup(saved);
    await actions.openComparison('saved-1');
    actions.updateVariantSampling('b', { temperature: 0.5 });
    await actions.runComparison();
    const b = started[0]!.spec.variants.find((v) => v.id === 'b')!;
    expect(b.sampling?.temperature).toBe(0.5);
    expect(b.input).toEqual(saved.spec.variants[1]!.input);
    expect(compare().link).toBeNull();
  });
});

describe('the builder follows the template it was made from (defect 3)', () => {
  it('a new example, max tokens and a preset reach every variant; what a variant changed stays', async () => {
    const { actions, compare, started, store } = await setup();
    actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    actions.compareWithCurrent();
    expect(actions.applySweep('temperature', '0, 0.7')).toBe(true);
    const before = store.getState().template.draft.examples.length;
    actions.setView('workbench');
    actions.addExample();
    actions.updateExample(before, { input: 'The soup was divine.', output: 'Positive' });
    actions.updateSampling({ maxTokens: 77 });
    actions.setView('compare');
    expect(compare().drafts.map((d) => [d.label, d.sampling.temperature, d.sampling.maxTokens, d.template!.examples.length])).toEqual([
      ['T=0', 0, 77, before + 1],
      ['T=0.7', 0.7, 77, before + 1],
    ]);
    await actions.runComparison();
    const spec = started[0]!.spec;
    for (const v of spec.variants) {
      expect(v.input.mode === 'completion' ? v.input.text : '').toContain('The soup was divine.');
      expect(v.sampling?.maxTokens).toBe(77);
    }
    expect(spec.variants.map((v) => v.sampling?.temperature)).toEqual([0, 0.7]);

    // A preset applied in the workbench changes what it sets, except the swept temperature.
    actions.applyPreset('Deterministic');
    const preset = store.getState().editor.sampling;
    expect(compare().drafts.map((d) => d.sampling.topK)).toEqual([preset.topK, preset.topK]);
    expect(compare().drafts.map((d) => d.sampling.temperature)).toEqual([0, 0.7]);
  });

  it('a shots sweep keeps its shots when an example is added', async () => {
    const { actions, compare } = await setup();
    actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    actions.compareWithCurrent();
    expect(actions.applySweep('shots', '0, 1')).toBe(true);
    actions.addExample();
    expect(compare().drafts.map((d) => d.template!.examples.filter((e) => e.enabled).length)).toEqual([0, 1]);
    expect(compare().drafts.map((d) => d.template!.examples.length)).toEqual([5, 5]);
  });

  it('another template in the workbench: the builder says so and offers to compare it instead', async () => {
    const { actions, compare } = await setup();
    actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    actions.compareWithCurrent();
    const drafts = compare().drafts;
    actions.newFromStarter(starterTemplate('grammar-correction')!);
    expect(compare().link!.detached).toContain(starterTemplate('grammar-correction')!.name);
    expect(compare().drafts).toBe(drafts);
    actions.refreshFromWorkbench();
    expect(compare().link!.detached).toBeNull();
    expect(compare().drafts.map((d) => d.template!.name)).toEqual([starterTemplate('grammar-correction')!.name, starterTemplate('grammar-correction')!.name]);
  });

  it('merges field by field (pure)', () => {
    const base = draftOf('sentiment-few-shot');
    const mine = { ...base, sampling: { ...base.sampling, temperature: 1.1 }, template: { ...base.template!, technique: 'zero-shot' as const } };
    const next = { ...base, sampling: { ...base.sampling, temperature: 0.3, maxTokens: 9 }, template: { ...base.template!, instruction: 'New words.' } };
    const merged = followWorkbench(mine, base, next);
    expect([merged.sampling.temperature, merged.sampling.maxTokens, merged.template!.technique, merged.template!.instruction]).toEqual([1.1, 9, 'zero-shot', 'New words.']);
    // a saved prompt never follows
    const saved: VariantDraft = { ...base, template: null, saved: { input: { mode: 'completion', text: 'x' } } };
    expect(followWorkbench(saved, base, next)).toBe(saved);
  });
});
