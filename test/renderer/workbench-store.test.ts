// The workbench's store: template editing, the debounced preview, saving with conflicts, the
// library, run history and template runs, against a scripted API.
import { describe, expect, it, vi } from 'vitest';
import type { ServiceEvent, RenderedPrompt, SavedTemplate, StoredRun, TemplateEntry } from '../../core/api/contract';
import { assemble, hashTemplate, starterTemplate, type Template } from '../../core/prompt/index';
import { createAppStore } from '../../renderer/src/store/create-store';
import type { Timers } from '../../renderer/src/store/preview';
import { templateForSave } from '../../renderer/src/store/template-slice';
import { fakeDelta, fakeResult } from '../helpers/results';
import { deferred, demoModel, fakeApi, FakeBackendError, manualFrames, settle } from './fakes';

/** Timers the test advances by hand. */
function manualTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    set(callback, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    get pending() {
      return pending.size;
    },
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(id);
          t.callback();
        }
      }
    },
  };
}

const rendered = (text: string, tokens = 3): RenderedPrompt => ({
  text,
  tokens: Array.from({ length: tokens }, (_, i) => ({ id: i, text: i === 0 ? text : '', special: false })),
  contextSize: 4096,
  stopStrings: [],
});

function entryOf(template: Template, version: number, id = 't1'): SavedTemplate {
  return {
    status: 'ok',
    id,
    file: 'sentiment.yaml',
    path: `/lib/sentiment.yaml`,
    name: template.name,
    tags: template.tags,
    version,
    savedAt: '2026-01-01T00:00:00.000Z',
    origin: version === 1 ? 'created' : 'saved',
    editedOutside: false,
    template,
  };
}

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({
    renderPrompt: vi.fn(async ({ input }) => rendered(input.mode === 'completion' ? input.text : 'chat')),
    ...overrides,
  });
  const frames = manualFrames();
  const time = manualTimers();
  const store = createAppStore(fake.api, { scheduler: frames.scheduler, timers: time.timers, previewDelayMs: 150, now: () => 0 });
  return {
    ...fake,
    frames,
    time,
    store,
    get state() {
      return store.getState();
    },
    get actions() {
      return store.getState().actions;
    },
  };
}

/** init, a loaded demo model, the few-shot starter in the editor, and the preview settled. */
async function withStarter(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const t = setup({ listModels: vi.fn(async () => [{ ...demoModel, state: 'loaded' as const, contextSize: 4096 }]), ...overrides });
  await t.actions.init();
  t.actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
  t.time.advance(150);
  await settle();
  return t;
}

describe('workbench: editing a template', () => {
  it('a starter brings its settings; edits mark the draft dirty; technique switches keep every example', async () => {
    const t = await withStarter();
    expect(t.state.template.draft.name).toBe('Sentiment (few-shot)');
    expect(t.state.template.dirty).toBe(false);
    expect(t.state.editor).toMatchObject({ tab: 'template', preset: 'Deterministic' });
    expect(t.state.editor.sampling).toMatchObject({ temperature: 0, maxTokens: 8, stop: ['\n'] });

    t.actions.addExample();
    t.actions.updateExample(4, { input: 'Great day!', output: 'Positive.' });
    expect(t.state.template.dirty).toBe(true);
    t.actions.setTechnique('chain-of-thought');
    t.actions.setTechnique('zero-shot');
    t.actions.setTechnique('few-shot');
    expect(t.state.template.draft.examples).toHaveLength(5);
    expect(t.state.template.draft.examples[4]).toEqual({ input: 'Great day!', output: 'Positive.', enabled: true });
  });

  it('deletes an example with Undo (from the notice)', async () => {
    const t = await withStarter();
    const second = t.state.template.draft.examples[1];
    t.actions.deleteExample(1);
    expect(t.state.template.draft.examples).toHaveLength(3);
    const notice = t.state.ui.notices.find((n) => n.action?.kind === 'undo-example');
    expect(notice?.text).toBe('Example 2 deleted.');
    t.actions.runNoticeAction(notice!.id);
    expect(t.state.template.draft.examples[1]).toBe(second);
    expect(t.state.ui.notices).toEqual([]);
  });

  it('loading another template sets unsaved work aside, and Restore brings it back', async () => {
    const t = await withStarter();
    t.actions.updateTemplate({ name: 'Mine' });
    t.actions.updateSampling({ temperature: 1.2 });
    t.actions.newTemplate();
    expect(t.state.template.draft.name).toBe('Untitled prompt');
    expect(t.state.editor.sampling.temperature).toBe(0.8);
    const notice = t.state.ui.notices.find((n) => n.action?.kind === 'restore-draft');
    expect(notice).toBeTruthy();
    t.actions.runNoticeAction(notice!.id);
    expect(t.state.template.draft.name).toBe('Mine');
    expect(t.state.editor.sampling.temperature).toBe(1.2);
    expect(t.state.template.dirty).toBe(true);
  });
});

describe('workbench: live preview', () => {
  it('waits for a pause in typing, then renders the latest prompt once', async () => {
    const t = await withStarter();
    const render = t.api.renderPrompt as ReturnType<typeof vi.fn>;
    render.mockClear();
    for (const text of ['A', 'Ab', 'Abc']) {
      t.actions.setTemplateField('instruction', text);
      t.time.advance(100);
    }
    expect(render).not.toHaveBeenCalled();
    expect(t.state.preview.status).toBe('pending');
    t.time.advance(150);
    expect(render).toHaveBeenCalledTimes(1);
    const input = render.mock.calls[0]![0].input;
    expect(input.mode === 'completion' && input.text.startsWith('Abc\n\nQ: This movie was wonderful!')).toBe(true);
    await settle();
    expect(t.state.preview.rendered?.tokens).toHaveLength(3);
    expect(t.state.preview.status).toBe('ready');

    // Edits that do not change the prompt send nothing.
    t.actions.updateTemplate({ notes: 'n' });
    t.time.advance(150);
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('shows the same text that a run sends (assembled by the template core)', async () => {
    const t = await withStarter();
    const template = t.state.template.draft;
    const expected = assemble(template, {});
    expect(t.state.preview.input).toEqual({ mode: 'completion', text: expected.mode === 'completion' ? expected.text : '' });
  });

  it('drops an answer that arrives after a newer request', async () => {
    const first = deferred<RenderedPrompt>();
    const second = deferred<RenderedPrompt>();
    const render = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const t = setup({ listModels: vi.fn(async () => [{ ...demoModel, state: 'loaded' as const }]), renderPrompt: render });
    await t.actions.init();
    t.actions.setTab('raw');
    t.actions.setPrompt('one');
    t.time.advance(150);
    t.actions.setPrompt('two');
    t.time.advance(150);
    expect(render).toHaveBeenCalledTimes(2);
    second.resolve(rendered('two'));
    await settle();
    first.resolve(rendered('one'));
    await settle();
    expect(t.state.preview.rendered?.text).toBe('two');
  });

  it('says which variables are missing, in words, and sends nothing', async () => {
    const t = await withStarter();
    const render = t.api.renderPrompt as ReturnType<typeof vi.fn>;
    render.mockClear();
    t.actions.setTemplateField('input', '{{review}} / {{tone}} / {{mood}}');
    t.time.advance(150);
    expect(t.state.preview.error).toBe('missing values for variables "tone" and "mood"');
    expect(t.state.preview.missing).toEqual(['tone', 'mood']);
    expect(t.state.preview.input).toBeNull();
    expect(t.state.preview.usedVariables).toEqual(['review', 'tone', 'mood']);
    expect(t.state.preview.diagnostics.some((d) => d.field === 'input' && /tone/.test(d.message))).toBe(true);
    expect(render).not.toHaveBeenCalled();

    t.actions.setVariableValue('tone', 'dry');
    t.actions.setVariableValue('mood', 'calm');
    t.time.advance(150);
    expect(t.state.preview.error).toBeNull();
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('asks for the model to be loaded before it has exact tokens, then renders by itself', async () => {
    const t = setup();
    await t.actions.init();
    t.actions.setTab('raw');
    t.time.advance(150);
    expect(t.state.preview.needsModel).toBe(true);
    expect(t.api.renderPrompt).not.toHaveBeenCalled();
    t.emit({ type: 'model', model: { ...demoModel, state: 'loaded', contextSize: 4096 } });
    t.time.advance(150);
    expect(t.api.renderPrompt).toHaveBeenCalledTimes(1);
    await settle();
    expect(t.state.preview.needsModel).toBe(false);
  });

  it('a failed render is shown in words', async () => {
    const t = await withStarter({ renderPrompt: vi.fn().mockRejectedValue(new FakeBackendError('invalid-argument', 'this model has no chat template in its file')) });
    t.actions.setMode('chat');
    t.time.advance(150);
    await settle();
    expect(t.state.preview.renderError).toBe('this model has no chat template in its file');
    expect(t.state.preview.rendered).toBeNull();
  });
});

describe('workbench: saving', () => {
  it('creates the template first, then saves versions against the one it read', async () => {
    const t = await withStarter({
      createTemplate: vi.fn(async ({ template }) => entryOf(template as Template, 1)),
      saveTemplate: vi.fn(async ({ template, expectedVersion }) => entryOf(template as Template, expectedVersion + 1)),
    });
    t.actions.updateSampling({ temperature: 0.4 });
    await t.actions.saveTemplate();
    const created = (t.api.createTemplate as ReturnType<typeof vi.fn>).mock.calls[0]![0].template as Template;
    expect(created.sampling).toEqual({ preset: 'Deterministic', temperature: 0.4, maxTokens: 8, stop: ['\n'] });
    expect(t.state.template).toMatchObject({ dirty: false, saved: { id: 't1', version: 1 } });

    t.actions.updateTemplate({ description: 'v2' });
    await t.actions.saveTemplate();
    expect(t.api.saveTemplate).toHaveBeenCalledWith(expect.objectContaining({ id: 't1', expectedVersion: 1 }));
    expect(t.state.template.saved?.version).toBe(2);
  });

  it('an edit made while saving keeps the draft dirty', async () => {
    const answer = deferred<TemplateEntry>();
    const t = await withStarter({ createTemplate: vi.fn(() => answer.promise) });
    const saving = t.actions.saveTemplate();
    t.actions.updateTemplate({ description: 'typed meanwhile' });
    answer.resolve(entryOf(t.state.template.draft, 1));
    await saving;
    expect(t.state.template.saved?.version).toBe(1);
    expect(t.state.template.dirty).toBe(true);
  });

  it('a conflict is told in words, never overwritten; reload sets the edits aside', async () => {
    const onDisk = { ...starterTemplate('sentiment-few-shot')!, description: 'changed elsewhere' };
    const t = await withStarter({
      createTemplate: vi.fn(async ({ template }) => entryOf(template as Template, 1)),
      saveTemplate: vi.fn().mockRejectedValue(new FakeBackendError('conflict', 'sentiment.yaml was changed outside Shotglass (now version 2).')),
      getTemplate: vi.fn(async () => entryOf(onDisk, 2)),
    });
    await t.actions.saveTemplate();
    t.actions.updateTemplate({ description: 'mine' });
    await t.actions.saveTemplate();
    expect(t.state.template.conflict).toMatch(/changed outside Shotglass/);
    expect(t.state.template.dirty).toBe(true);
    expect(t.api.saveTemplate).toHaveBeenCalledTimes(1);

    await t.actions.reloadTemplate();
    expect(t.state.template.conflict).toBeNull();
    expect(t.state.template.draft.description).toBe('changed elsewhere');
    expect(t.state.template.saved?.version).toBe(2);
    expect(t.state.template.setAside?.draft.description).toBe('mine');
  });

  it('a refused save keeps the words of the refusal', async () => {
    const t = await withStarter({ createTemplate: vi.fn().mockRejectedValue(new FakeBackendError('invalid-argument', 'name must not be empty')) });
    t.actions.updateTemplate({ name: '' });
    await t.actions.saveTemplate();
    expect(t.state.template.saveError).toBe('name must not be empty');
    expect(t.state.template.saved).toBeNull();
  });
});

describe('workbench: runs of a template', () => {
  it('sends the assembled input, resolved settings, template hash, id and version', async () => {
    const t = await withStarter({ createTemplate: vi.fn(async ({ template }) => entryOf(template as Template, 1)) });
    await t.actions.saveTemplate();
    await t.actions.run();
    const request = (t.api.startCompletion as ReturnType<typeof vi.fn>).mock.calls[0]![0];
    const template = templateForSave(t.state);
    const assembled = assemble(template, {});
    expect(request).toMatchObject({
      modelId: 'demo',
      input: { mode: 'completion', text: assembled.mode === 'completion' ? assembled.text : '' },
      sampling: expect.objectContaining({ temperature: 0, maxTokens: 8, stop: ['\n'] }),
      topProbabilities: 5,
      templateHash: hashTemplate(template),
      templateId: 't1',
      templateVersion: 1,
    });
    // The answer rule goes with the run, for reading the answer out of the output.
    expect(t.state.run.extraction).toEqual(template.extraction);
  });

  it('edits since the save: no version (the hash tells the content)', async () => {
    const t = await withStarter({ createTemplate: vi.fn(async ({ template }) => entryOf(template as Template, 1)) });
    await t.actions.saveTemplate();
    t.actions.updateTemplate({ instruction: 'Changed.' });
    await t.actions.run();
    const request = (t.api.startCompletion as ReturnType<typeof vi.fn>).mock.calls[0]![0];
    expect(request.templateId).toBe('t1');
    expect('templateVersion' in request).toBe(false);
  });

  it('a missing variable stops the run before it starts, in words', async () => {
    const t = await withStarter();
    t.actions.setTemplateField('input', '{{review}} {{tone}}');
    await t.actions.run();
    expect(t.api.startCompletion).not.toHaveBeenCalled();
    expect(t.state.run.status).toBe('error');
    expect(t.state.run.error).toBe('Cannot run the template: missing value for variable "tone": give it a value under Variables.');
  });

  it('streams token probabilities per frame and learns where the history keeps the run', async () => {
    const t = await withStarter();
    t.actions.setSidebar('history');
    await settle();
    const listRuns = t.api.listRuns as ReturnType<typeof vi.fn>;
    const lists = listRuns.mock.calls.length;
    await t.actions.run();
    t.emit(fakeDelta('run-1', ' Neg', 1), fakeDelta('run-1', 'ative', 1));
    expect(t.state.run.steps).toHaveLength(0);
    t.frames.frame();
    expect(t.state.run.text).toBe(' Negative');
    expect(t.state.run.steps[0]!.steps.map((s) => s.text)).toEqual([' Neg', 'ative']);
    t.emit({ type: 'run.end', runId: 'run-1', result: fakeResult({ text: ' Negative', steps: [...t.state.run.steps[0]!.steps] }) });
    const chunks = t.state.run.steps;
    expect(t.state.run.status).toBe('done');
    t.emit({ type: 'history', runId: 'run-1', historyId: 'h1' });
    expect(t.state.run.steps).toBe(chunks);
    expect(t.state.run.historyId).toBe('h1');
    expect(listRuns.mock.calls.length).toBe(lists + 1);
  });
});

const storedRun = (overrides: Partial<StoredRun> = {}): StoredRun => ({
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
  record: { sampling: { ...fakeResult().record.sampling, seed: 99, temperature: 0.3 }, topProbabilities: 3 },
  ...overrides,
});

describe('workbench: history', () => {
  it('lists with filters, pages with the cursor', async () => {
    const summary = { id: 'h1', createdAt: 1, kind: 'single' as const, modelPath: '/m.gguf', mode: 'completion' as const, promptPreview: 'p', outputPreview: 'o', finishReason: 'eos', metrics: {}, hasProbabilities: true };
    const listRuns = vi
      .fn()
      .mockResolvedValueOnce({ items: [summary], nextCursor: 'c1' })
      .mockResolvedValueOnce({ items: [{ ...summary, id: 'h2' }], nextCursor: null })
      .mockResolvedValue({ items: [], nextCursor: null });
    const t = setup({ listRuns });
    await t.actions.loadHistory();
    await t.actions.loadMoreHistory();
    expect(listRuns).toHaveBeenLastCalledWith({ limit: 40, cursor: 'c1' });
    expect(t.state.history.items.map((r) => r.id)).toEqual(['h1', 'h2']);
    t.actions.setHistoryFilter({ templateId: 't1', text: ' great ' });
    await settle();
    expect(listRuns).toHaveBeenLastCalledWith({ limit: 40, templateId: 't1', text: 'great' });
    expect(t.state.history.items).toEqual([]);
  });

  it('re-runs a stored run: same model file, prompt and recorded settings (seed included)', async () => {
    const t = setup({ getRun: vi.fn(async () => storedRun()) });
    await t.actions.init();
    await t.actions.openRun('h1');
    expect(t.state.ui.dialog).toBe('run');
    await t.actions.rerun('h1');
    expect(t.api.startCompletion).toHaveBeenCalledWith(
      expect.objectContaining({
        modelId: 'demo',
        input: { mode: 'completion', text: 'Q: Good?\nA:' },
        sampling: expect.objectContaining({ seed: 99, temperature: 0.3 }),
        topProbabilities: 3,
      }),
    );
    expect(t.state.ui.dialog).toBeNull();
    expect(t.state.run.prompt).toBe('Q: Good?\nA:');
  });

  it('opens a stored run in the Raw editor', async () => {
    const t = setup({ getRun: vi.fn(async () => storedRun()) });
    await t.actions.openRun('h1');
    t.actions.openRunInEditor('h1');
    expect(t.state.editor).toMatchObject({ tab: 'raw', prompt: 'Q: Good?\nA:' });
    expect(t.state.editor.sampling.seed).toBe(99);
  });
});

describe('workbench: library', () => {
  const saved = entryOf(starterTemplate('sentiment-few-shot')!, 3);

  it('deletes with Undo; the open template becomes unsaved and is linked again on Undo', async () => {
    const t = await withStarter({
      getTemplate: vi.fn(async () => saved),
      listTemplates: vi.fn(async () => [saved]),
      deleteTemplate: vi.fn(async () => ({ trashId: 'trash-1' })),
      undoDeleteTemplate: vi.fn(async () => saved),
    });
    await t.actions.openTemplate('t1');
    await t.actions.refreshLibrary();
    await t.actions.deleteTemplate('t1');
    expect(t.state.template.saved).toBeNull();
    expect(t.state.template.dirty).toBe(true);
    const notice = t.state.ui.notices.find((n) => n.action?.kind === 'undo-delete-template');
    expect(notice?.text).toBe('“Sentiment (few-shot)” deleted.');
    t.actions.runNoticeAction(notice!.id);
    await settle();
    expect(t.api.undoDeleteTemplate).toHaveBeenCalledWith({ trashId: 'trash-1' });
    expect(t.state.template.saved?.id).toBe('t1');
  });

  it('renaming the open template renames the draft and builds on the new version', async () => {
    const t = await withStarter({
      getTemplate: vi.fn(async () => saved),
      listTemplates: vi.fn(async () => [saved]),
      renameTemplate: vi.fn(async ({ name }) => ({ ...saved, name, version: 4, template: { ...saved.template, name } })),
    });
    await t.actions.openTemplate('t1');
    await t.actions.refreshLibrary();
    await t.actions.renameTemplate('t1', 'Reviews');
    expect(t.api.renameTemplate).toHaveBeenCalledWith({ id: 't1', name: 'Reviews', expectedVersion: 3 });
    expect(t.state.template.draft.name).toBe('Reviews');
    expect(t.state.template.saved?.version).toBe(4);
  });

  it('versions: lists them, compares the latest two, restores one', async () => {
    const versions = [3, 2, 1].map((version) => ({ version, savedAt: '2026-01-01T00:00:00.000Z', origin: 'saved', name: saved.name }));
    const diff = { from: 2, to: 3, lines: [{ op: 'add' as const, text: 'x' }], unified: '+x' };
    const t = await withStarter({
      getTemplate: vi.fn(async () => saved),
      listTemplates: vi.fn(async () => [saved]),
      listTemplateVersions: vi.fn(async () => versions),
      diffTemplateVersions: vi.fn(async () => diff),
      restoreTemplateVersion: vi.fn(async () => ({ ...saved, version: 4 })),
    });
    await t.actions.openTemplate('t1');
    await t.actions.openVersions('t1');
    expect(t.state.ui.dialog).toBe('versions');
    expect(t.api.diffTemplateVersions).toHaveBeenCalledWith({ id: 't1', from: 2, to: 3 });
    expect(t.state.library.versions).toMatchObject({ from: 2, to: 3, diff });
    await t.actions.compareVersions(3, 1);
    expect(t.api.diffTemplateVersions).toHaveBeenLastCalledWith({ id: 't1', from: 1, to: 3 });

    await t.actions.restoreVersion(1);
    expect(t.api.restoreTemplateVersion).toHaveBeenCalledWith({ id: 't1', version: 1, expectedVersion: 3 });
    expect(t.state.template.saved?.version).toBe(4);
  });

  it('library events refetch the list once it is shown', async () => {
    const t = setup();
    await t.actions.init();
    await settle();
    const calls = (t.api.listTemplates as ReturnType<typeof vi.fn>).mock.calls.length;
    t.emit({ type: 'library' } as ServiceEvent);
    await settle();
    expect((t.api.listTemplates as ReturnType<typeof vi.fn>).mock.calls.length).toBe(calls + 1);
    t.emit({ type: 'library', problem: 'The library folder is gone.' });
    expect(t.state.library.problem).toBe('The library folder is gone.');
  });

  it('imports a file by its text and opens it', async () => {
    const t = await withStarter({ importTemplate: vi.fn(async () => saved) });
    await t.actions.importTemplateText('schemaVersion: 1\nname: X\n');
    expect(t.api.importTemplate).toHaveBeenCalledWith({ text: 'schemaVersion: 1\nname: X\n' });
    expect(t.state.template.saved?.id).toBe('t1');
  });
});

describe('workbench: presets', () => {
  it('applies built-ins, saves the samplers as a user preset, deletes it', async () => {
    const mine = { name: 'Mine', description: '', sampling: { temperature: 0.5, topK: 10 } };
    const t = setup({
      savePreset: vi.fn(async () => [mine]),
      deletePreset: vi.fn(async () => []),
    });
    await t.actions.init();
    t.actions.applyPreset('Creative');
    expect(t.state.editor.preset).toBe('Creative');
    expect(t.state.editor.sampling).toMatchObject({ temperature: 1.1, topK: 0, repeatPenalty: 1.05 });
    t.actions.updateSampling({ temperature: 0.5, topK: 10, topP: 0.95, repeatPenalty: 1 });
    expect(await t.actions.saveUserPreset('Mine')).toBe(true);
    expect(t.api.savePreset).toHaveBeenCalledWith({ name: 'Mine', description: '', sampling: { temperature: 0.5, topK: 10 } });
    expect(t.state.presets.user).toEqual([mine]);
    expect(t.state.editor.preset).toBe('Mine');
    await t.actions.deleteUserPreset('Mine');
    expect(t.state.editor.preset).toBeNull();
  });
});
