// Unsaved work is never dropped (issue 14, defect 1): the store keeps a draft per template through
// the API (saveDraft/getDraft/listDrafts/discardDraft), offers it when the template is reopened,
// lists unsaved new templates, brings the working state back after a reload, and discards a
// draft only when asked or when a save leaves nothing unsaved.
import { describe, expect, it, vi } from 'vitest';
import type { SavedTemplate } from '../../core/api/contract';
import { starterTemplate, type Template } from '../../core/prompt/index';
import { createAppStore } from '../../renderer/src/store/create-store';
import { DRAFT_DELAY_MS } from '../../renderer/src/store/drafts';
import type { Timers } from '../../renderer/src/store/preview';
import { demoModel, fakeApi, settle } from './fakes';

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

function entryOf(template: Template, version: number, id: string): SavedTemplate {
  return {
    status: 'ok',
    id,
    file: `${id}.yaml`,
    path: `/lib/${id}.yaml`,
    name: template.name,
    tags: template.tags,
    version,
    savedAt: '2026-01-01T00:00:00.000Z',
    origin: version === 1 ? 'created' : 'saved',
    editedOutside: false,
    template,
  };
}

/** A library in memory: created templates get ids t1, t2…; saves add versions. */
function library() {
  const saved = new Map<string, SavedTemplate>();
  return {
    saved,
    createTemplate: vi.fn(async ({ template }: { template: unknown }) => {
      const entry = entryOf(structuredClone(template as Template), 1, `t${saved.size + 1}`);
      saved.set(entry.id, entry);
      return entry;
    }),
    saveTemplate: vi.fn(async ({ id, template }: { id: string; template: unknown }) => {
      const entry = entryOf(structuredClone(template as Template), saved.get(id)!.version + 1, id);
      saved.set(id, entry);
      return entry;
    }),
    getTemplate: vi.fn(async ({ id }: { id: string }) => structuredClone(saved.get(id)!)),
  };
}

function setup(fake = fakeApi({ ...library(), listModels: vi.fn(async () => [{ ...demoModel, state: 'loaded' as const, contextSize: 4096 }]) })) {
  const time = manualTimers();
  const store = createAppStore(fake.api, { timers: time.timers, now: () => 0 });
  return {
    ...fake,
    fake,
    time,
    store,
    get state() {
      return store.getState();
    },
    get actions() {
      return store.getState().actions;
    },
    /** Let the draft's pause pass and its write land. */
    async pause() {
      time.advance(DRAFT_DELAY_MS);
      await settle();
    },
  };
}

async function withSaved(name: string) {
  const t = setup();
  await t.actions.init();
  await settle();
  t.actions.newFromStarter({ ...starterTemplate('grammar-correction')!, name });
  await t.actions.saveTemplate();
  await settle();
  return t;
}

describe('drafts: unsaved work is never dropped', () => {
  it('switching to another template keeps the edits as a draft, offered when the template is reopened', async () => {
    const t = await withSaved('Grammar');
    const id = t.state.template.saved!.id;
    t.actions.setMode('chat');
    t.actions.updateSampling({ temperature: 1.2 });
    t.actions.setVariableValue('text', 'i has a cat');
    // Another template before the pause: the work is written at once, no "set aside" toast.
    t.actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    await settle();
    expect(t.state.ui.notices).toEqual([]);
    const kept = t.drafts.get(id)!;
    expect(kept).toMatchObject({ edited: true, values: { text: 'i has a cat' }, base: { id, version: 1 } });
    expect(kept.template.mode).toBe('chat');
    expect(kept.sampling.temperature).toBe(1.2);

    await t.actions.openTemplate(id);
    await settle();
    // The saved version is shown, with the draft offered beside it.
    expect(t.state.template.draft.mode).toBe('completion');
    expect(t.state.template.dirty).toBe(false);
    expect(t.state.template.offeredDraft?.template.mode).toBe('chat');

    t.actions.restoreOfferedDraft();
    expect(t.state.template.draft.mode).toBe('chat');
    expect(t.state.template.values).toEqual({ text: 'i has a cat' });
    expect(t.state.editor.sampling.temperature).toBe(1.2);
    expect(t.state.template.dirty).toBe(true);
    expect(t.state.template.offeredDraft).toBeNull();
  });

  it('an offered draft is not overwritten before the user chooses; Discard removes it', async () => {
    const t = await withSaved('Grammar');
    const id = t.state.template.saved!.id;
    t.actions.updateTemplate({ description: 'mine' });
    t.actions.newTemplate();
    await settle();
    await t.actions.openTemplate(id);
    await settle();
    expect(t.state.template.offeredDraft?.template.description).toBe('mine');
    t.actions.setVariableValue('text', 'typed meanwhile');
    await t.pause();
    expect(t.drafts.get(id)?.template.description).toBe('mine');

    await t.actions.discardDraft(id);
    expect(t.drafts.has(id)).toBe(false);
    expect(t.state.template.offeredDraft).toBeNull();
    // From now on the working state is kept again.
    await t.pause();
    t.actions.setVariableValue('text', 'typed after');
    await t.pause();
    expect(t.drafts.get(id)).toMatchObject({ edited: false, values: { text: 'typed after' } });
  });

  it('edits are written after a pause in typing, once', async () => {
    const t = await withSaved('Grammar');
    (t.api.saveDraft as ReturnType<typeof vi.fn>).mockClear();
    for (const name of ['G', 'Gr', 'Gra']) t.actions.updateTemplate({ name });
    expect(t.api.saveDraft).not.toHaveBeenCalled();
    await t.pause();
    expect(t.api.saveDraft).toHaveBeenCalledTimes(1);
    expect(t.drafts.get(t.state.template.saved!.id)?.template.name).toBe('Gra');
  });

  it('an unsaved new template is kept under its own key, listed, and reopened from the list', async () => {
    const t = setup();
    await t.actions.init();
    t.actions.newFromStarter(starterTemplate('sentiment-few-shot')!);
    t.actions.addExample();
    t.actions.updateTemplate({ name: 'My new one' });
    await t.pause();
    const key = t.state.template.draftKey;
    expect(key).toMatch(/^new-/);
    expect(t.state.library.drafts.map((d) => d.name)).toEqual(['My new one']);

    t.actions.newTemplate();
    await settle();
    expect(t.state.template.draftKey).not.toBe(key);
    await t.actions.openDraft(key);
    expect(t.state.template.draft.name).toBe('My new one');
    expect(t.state.template.draft.examples).toHaveLength(5);
    expect(t.state.template.saved).toBeNull();
    expect(t.state.template.dirty).toBe(true);

    // Saving it: the library id becomes the key and the `new-` draft goes.
    await t.actions.saveTemplate();
    await settle();
    expect(t.state.template.draftKey).toBe(t.state.template.saved!.id);
    expect([...t.drafts.keys()]).toEqual([]);
    expect(t.state.library.drafts).toEqual([]);
  });

  it('a save keeps the typed values as the working state and drops the template edits from the draft', async () => {
    const t = await withSaved('Grammar');
    const id = t.state.template.saved!.id;
    t.actions.updateTemplate({ description: 'edited' });
    t.actions.setVariableValue('text', 'keep me');
    await t.pause();
    expect(t.drafts.get(id)?.edited).toBe(true);
    await t.actions.saveTemplate();
    await settle();
    expect(t.drafts.get(id)).toMatchObject({ edited: false, values: { text: 'keep me' } });
    t.actions.setVariableValue('text', undefined);
    await t.actions.saveTemplate();
    await settle();
    expect(t.drafts.has(id)).toBe(false);
  });

  it('a reload brings the last working state back (template edits, values and settings)', async () => {
    const first = await withSaved('Grammar');
    first.actions.setMode('chat');
    first.actions.setVariableValue('text', 'i has a cat');
    first.actions.updateSampling({ temperature: 1.1 });
    await first.pause();
    first.actions.dispose();

    // A new page on the same service (another origin has no localStorage of its own: node has none here either).
    const second = setup(first.fake);
    await second.actions.init();
    await settle();
    await settle();
    expect(second.state.template.saved?.id).toBe(first.state.template.saved!.id);
    expect(second.state.template.draft.mode).toBe('chat');
    expect(second.state.template.values).toEqual({ text: 'i has a cat' });
    expect(second.state.editor.sampling.temperature).toBe(1.1);
    expect(second.state.template.dirty).toBe(true);
  });

  it('typed values alone come back silently when the template is reopened', async () => {
    const t = await withSaved('Grammar');
    const id = t.state.template.saved!.id;
    t.actions.setVariableValue('text', 'only a value');
    t.actions.newTemplate();
    await settle();
    await t.actions.openTemplate(id);
    await settle();
    expect(t.state.template.offeredDraft).toBeNull();
    expect(t.state.template.values).toEqual({ text: 'only a value' });
    expect(t.state.template.dirty).toBe(false);
  });
});
