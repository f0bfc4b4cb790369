// Stale output and errors never outlive what they came from (issue 14, defect 9): loading another
// template or selecting another model clears a finished run; a history re-run says it is one.
import { describe, expect, it, vi } from 'vitest';
import type { StoredRun } from '../../core/api/contract';
import { starterTemplate } from '../../core/prompt/index';
import { createAppStore } from '../../renderer/src/store/create-store';
import { fakeResult } from '../helpers/results';
import { demoModel, fakeApi, otherModel, settle } from './fakes';

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({
    listModels: vi.fn(async () => [{ ...demoModel, state: 'loaded' as const }, { ...otherModel, state: 'loaded' as const }]),
    ...overrides,
  });
  const store = createAppStore(fake.api, { now: () => 0 });
  return {
    ...fake,
    get state() {
      return store.getState();
    },
    get actions() {
      return store.getState().actions;
    },
    /** A run of the editor's template that ends with `text`. */
    async finishedRun(text: string) {
      await store.getState().actions.run();
      fake.emit({ type: 'run.end', runId: 'run-1', result: fakeResult({ text }) });
    },
  };
}

describe('runs belong to what they were made from', () => {
  it('a "missing value" error goes when another starter is loaded', async () => {
    const t = setup();
    await t.actions.init();
    // A variable with no value and no default.
    const grammar = starterTemplate('grammar-correction')!;
    t.actions.newFromStarter({ ...grammar, variables: grammar.variables.map((v) => ({ ...v, default: undefined })) });
    await t.actions.run();
    expect(t.state.run.status).toBe('error');
    expect(t.state.run.error).toMatch(/missing|value/i);
    t.actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    expect(t.state.run.status).toBe('idle');
    expect(t.state.run.error).toBeNull();
  });

  it('a finished output goes when another template is loaded, and when another model is selected', async () => {
    const t = setup();
    await t.actions.init();
    t.actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    await t.finishedRun(' out');
    expect(t.state.run).toMatchObject({ status: 'done', text: ' out', origin: { kind: 'template', name: 'Sentiment (few-shot)' } });
    t.actions.newFromStarter(starterTemplate('summarization')!);
    expect(t.state.run.text).toBe('');

    await t.finishedRun(' again');
    expect(t.state.models.selectedId).toBe('demo');
    t.actions.selectModel('other');
    expect(t.state.run.status).toBe('idle');
    expect(t.state.run.text).toBe('');
  });

  it('a running run is not cut short by loading a template: it keeps its origin, shown as another template', async () => {
    const t = setup();
    await t.actions.init();
    t.actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    const key = t.state.template.draftKey;
    await t.actions.run();
    t.actions.newFromStarter(starterTemplate('summarization')!);
    expect(t.state.run.status).toBe('running');
    expect(t.state.run.origin).toMatchObject({ kind: 'template', key });
    expect(t.state.template.draftKey).not.toBe(key);
  });

  it('a history re-run is marked as one, not as the template in the editor', async () => {
    const stored: StoredRun = {
      id: 'h1',
      createdAt: 1,
      kind: 'single',
      modelPath: demoModel.path,
      mode: 'completion',
      finishReason: 'stop',
      metrics: { generatedTokens: 2 },
      prompt: 'Q: Good?\nA:',
      sampling: {},
      output: ' Positive.',
      record: { sampling: fakeResult().record.sampling, topProbabilities: 3 },
    };
    const t = setup({ getRun: vi.fn(async () => stored) });
    await t.actions.init();
    t.actions.newFromStarter(starterTemplate('grammar-correction')!);
    await t.actions.openRun('h1');
    await t.actions.rerun('h1');
    await settle();
    expect(t.state.run.origin).toEqual({ kind: 'history', historyId: 'h1' });
  });
});
