// The template being edited: its draft, where it is saved, the variable values, and every edit
// (fields, examples, variables, technique and mode). Saving creates the library entry the first
// time and then saves new versions; a save the library refuses as stale is never retried blindly.
import type { SavedTemplate, TemplateEntry } from '../../../core/api/contract';
import { defaultTemplate, fieldSource, switchMode, switchTechnique, type Template } from '../../../core/prompt/index';
import { lastTemplateId, rememberTemplateId } from '../lib/persist';
import { isNewDraftKey, newDraftKey } from './drafts';
import { errorCode, errorMessage, patch, type SliceContext } from './context';
import { clearFinishedRun } from './run-state';
import { samplingForTemplate, samplingFromTemplate } from './sampling';
import * as ops from './template-ops';
import type { Actions, AppState, SavedRef, TemplateSlice } from './types';

export const initialTemplate: TemplateSlice = {
  draft: defaultTemplate(),
  saved: null,
  values: {},
  dirty: false,
  revision: 0,
  loadCount: 0,
  saving: false,
  saveError: null,
  conflict: null,
  deletedExample: null,
  past: [],
  future: [],
  draftKey: newDraftKey(),
  draftKept: false,
  draftError: null,
  offeredDraft: null,
};

export const savedRef = (entry: SavedTemplate): SavedRef => ({
  id: entry.id,
  version: entry.version,
  savedAt: entry.savedAt,
  file: entry.file,
});

/** Any change to what a save would write (the draft or the run settings folded into it). */
export function markEdited(ctx: SliceContext): void {
  patch(ctx, 'template', (t) => ({ dirty: true, revision: t.revision + 1 }));
}

/** The draft as it would be saved: the run settings folded into its sampling. */
export function templateForSave(state: AppState): Template {
  return {
    ...state.template.draft,
    sampling: samplingForTemplate(state.editor.sampling, state.editor.preset, state.presets.user),
  };
}

/**
 * Put a template in the editor (its settings in the sampling panel). The work it replaces is kept
 * as a draft first (never dropped); the loaded template's own draft is then offered, or with
 * `draft: 'apply'` (a reload bringing the session back) put straight into the editor.
 */
export function loadDraft(ctx: SliceContext, template: Template, saved: SavedRef | null, options: { draft?: 'offer' | 'apply' } = {}): void {
  const state = ctx.get();
  const current = state.template;
  const kept = ctx.drafts?.keepNow() ?? Promise.resolve();
  const { sampling, preset, error } = samplingFromTemplate(template.sampling, state.presets.user);
  // The same template again (reloaded, restored): the values typed for it stay.
  const sameTemplate = saved !== null && current.saved?.id === saved.id;
  const draftKey = saved?.id ?? newDraftKey();
  patch(ctx, 'template', (t) => ({
    draft: template,
    saved,
    values: sameTemplate ? t.values : {},
    dirty: false,
    revision: t.revision + 1,
    loadCount: t.loadCount + 1,
    saving: false,
    saveError: null,
    conflict: null,
    deletedExample: null,
    draftKey,
    draftKept: false,
    draftError: null,
    offeredDraft: null,
    past: [],
    future: [],
  }));
  patch(ctx, 'editor', { tab: 'template', sampling, preset });
  clearFinishedRun(ctx);
  rememberTemplateId(draftKey);
  // After the replaced work is written: reloading the same template offers the edits just kept.
  if (saved) void kept.then(() => ctx.drafts?.offer(draftKey, options.draft ?? 'offer'));
  if (error) state.actions.notify(`${template.name}: ${error}; the template's own settings are used.`, { tone: 'error' });
}

type TemplateActions = Pick<
  Actions,
  | 'setTemplateField'
  | 'updateTemplate'
  | 'setMode'
  | 'setTechnique'
  | 'addExample'
  | 'updateExample'
  | 'duplicateExample'
  | 'deleteExample'
  | 'undoDeleteExample'
  | 'moveExample'
  | 'setVariableValue'
  | 'declareVariable'
  | 'updateVariable'
  | 'removeVariable'
  | 'newTemplate'
  | 'newFromStarter'
  | 'openTemplate'
  | 'saveTemplate'
  | 'saveTemplateAsCopy'
  | 'reloadTemplate'
  | 'undoTemplate'
  | 'redoTemplate'
>;

/** Edits of one field closer together than this are one undo step. */
export const TYPING_PAUSE_MS = 1000;
const UNDO_LIMIT = 100;

export interface TemplateController {
  actions: TemplateActions;
  /** Reopen the template of the last session, if the editor is still untouched. */
  restoreLast(): Promise<void>;
}

export function createTemplateController(ctx: SliceContext): TemplateController {
  const { api, get } = ctx;

  // Undo/redo over the whole template (examples added, removed, moved; mode and technique
  // switches; variables; fields). Typing in one field within a short pause is one step; a
  // structural edit is always its own step. Text fields keep their own Ctrl+Z as well.
  let lastKind: string | null = null;
  let lastAt = -Infinity;
  const edit = (change: (draft: Template) => Template, kind = 'structure') =>
    patch(ctx, 'template', (t) => {
      const draft = change(t.draft);
      if (draft === t.draft) return {};
      const at = ctx.now();
      const coalesce = kind !== 'structure' && kind === lastKind && at - lastAt < TYPING_PAUSE_MS && t.past.length > 0;
      lastKind = kind;
      lastAt = at;
      const past = coalesce ? t.past : [...t.past, t.draft].slice(-UNDO_LIMIT);
      return { draft, dirty: true, revision: t.revision + 1, past, future: [] };
    });
  const travel = (from: 'past' | 'future') =>
    patch(ctx, 'template', (t) => {
      const stack = t[from];
      const target = stack[stack.length - 1];
      if (!target) return {};
      lastKind = null;
      const rest = stack.slice(0, -1);
      return from === 'past'
        ? { draft: target, past: rest, future: [...t.future, t.draft], dirty: true, revision: t.revision + 1 }
        : { draft: target, future: rest, past: [...t.past, t.draft], dirty: true, revision: t.revision + 1 };
    });

  const okEntry = (entry: TemplateEntry): SavedTemplate => {
    if (entry.status !== 'ok') throw new Error(entry.reason);
    return entry;
  };

  const afterSave = (entry: SavedTemplate, previousKey: string) => {
    patch(ctx, 'template', { draftKey: entry.id });
    rememberTemplateId(entry.id);
    ctx.drafts?.afterSave(previousKey);
    const { library } = get();
    if (library.loaded) void get().actions.refreshLibrary();
    if (library.versions?.id === entry.id) void get().actions.openVersions(entry.id);
  };

  const actions: TemplateActions = {
    setTemplateField(field, value) {
      edit((t) => (fieldSource(t, field) === value ? t : ops.setField(t, field, value)), `field:${field}`);
    },
    updateTemplate(changes) {
      edit((t) => ({ ...t, ...changes }), `meta:${Object.keys(changes).sort().join(',')}`);
    },
    undoTemplate() {
      travel('past');
    },
    redoTemplate() {
      travel('future');
    },
    setMode(mode) {
      edit((t) => (t.mode === mode ? t : switchMode(t, mode)));
    },
    setTechnique(technique) {
      edit((t) => (t.technique === technique ? t : switchTechnique(t, technique)));
    },
    addExample() {
      edit((t) => ops.insertExample(t, t.examples.length, ops.blankExample()));
    },
    updateExample(index, changes) {
      edit((t) => ops.updateExample(t, index, changes), `example:${index}:${Object.keys(changes).sort().join(',')}`);
    },
    duplicateExample(index) {
      edit((t) => ops.duplicateExample(t, index));
    },
    deleteExample(index) {
      const { template, removed } = ops.removeExample(get().template.draft, index);
      if (!removed) return;
      edit(() => template);
      patch(ctx, 'template', { deletedExample: { example: removed, index } });
      get().actions.notify(`Example ${index + 1} deleted.`, { action: { label: 'Undo', kind: 'undo-example' } });
    },
    undoDeleteExample() {
      const deleted = get().template.deletedExample;
      if (!deleted) return;
      edit((t) => ops.insertExample(t, deleted.index, deleted.example));
      patch(ctx, 'template', { deletedExample: null });
      patch(ctx, 'ui', (ui) => ({ notices: ui.notices.filter((n) => n.action?.kind !== 'undo-example') }));
    },
    moveExample(from, to) {
      edit((t) => ops.moveExample(t, from, to));
    },
    setVariableValue(name, value) {
      patch(ctx, 'template', (t) => {
        const values = { ...t.values };
        if (value === undefined) delete values[name];
        else values[name] = value;
        return { values };
      });
    },
    declareVariable(name) {
      edit((t) => ops.declareVariable(t, name));
    },
    updateVariable(name, changes) {
      edit((t) => ops.updateVariable(t, name, changes), `variable:${name}:${Object.keys(changes).sort().join(',')}`);
    },
    removeVariable(name) {
      edit((t) => ops.removeVariable(t, name));
    },
    newTemplate() {
      loadDraft(ctx, defaultTemplate(), null);
    },
    newFromStarter(template) {
      loadDraft(ctx, structuredClone(template), null);
      patch(ctx, 'ui', { dialog: null });
    },
    async openTemplate(id) {
      try {
        const entry = await api.getTemplate({ id });
        if (entry.status !== 'ok') {
          get().actions.notify(`${entry.file} cannot be opened: ${entry.reason}`, { tone: 'error' });
          return;
        }
        loadDraft(ctx, entry.template, savedRef(entry));
      } catch (error) {
        get().actions.notify(errorMessage(error), { tone: 'error' });
      }
    },
    async saveTemplate() {
      const state = get();
      if (state.template.saving) return;
      const template = templateForSave(state);
      const revision = state.template.revision;
      const saved = state.template.saved;
      const previousKey = state.template.draftKey;
      patch(ctx, 'template', { saving: true, saveError: null });
      try {
        const entry = okEntry(
          saved
            ? await api.saveTemplate({ id: saved.id, template, expectedVersion: saved.version })
            : await api.createTemplate({ template }),
        );
        // The draft itself stays (its sampling is folded in at each save, never read from it).
        patch(ctx, 'template', (t) => ({
          saving: false,
          saved: savedRef(entry),
          conflict: null,
          dirty: t.revision === revision ? false : t.dirty,
        }));
        afterSave(entry, previousKey);
      } catch (error) {
        if (errorCode(error) === 'conflict') patch(ctx, 'template', { saving: false, conflict: errorMessage(error) });
        else patch(ctx, 'template', { saving: false, saveError: errorMessage(error) });
      }
    },
    async saveTemplateAsCopy() {
      const state = get();
      if (state.template.saving) return;
      const template = { ...templateForSave(state), name: `${state.template.draft.name} (copy)`.slice(0, 200) };
      const previousKey = state.template.draftKey;
      patch(ctx, 'template', { saving: true, saveError: null });
      try {
        const entry = okEntry(await api.createTemplate({ template }));
        patch(ctx, 'template', (t) => ({
          saving: false,
          saved: savedRef(entry),
          conflict: null,
          dirty: false,
          draft: { ...t.draft, name: entry.name },
        }));
        afterSave(entry, previousKey);
      } catch (error) {
        patch(ctx, 'template', { saving: false, saveError: errorMessage(error) });
      }
    },
    async reloadTemplate() {
      const saved = get().template.saved;
      if (!saved) return;
      try {
        const entry = okEntry(await api.getTemplate({ id: saved.id }));
        loadDraft(ctx, entry.template, savedRef(entry));
      } catch (error) {
        patch(ctx, 'template', { saveError: errorMessage(error) });
      }
    },
  };

  return {
    actions,
    async restoreLast() {
      const loadCount = get().template.loadCount;
      const untouched = () => {
        const t = get().template;
        return !t.dirty && !t.saved && t.loadCount === loadCount;
      };
      // The key of the last session (this origin's storage), else the newest draft the service kept
      // (another port is another origin, with its own storage).
      let key = lastTemplateId();
      if (!key) key = (await api.listDrafts({}).catch(() => []))[0]?.key ?? null;
      if (!key) return;
      try {
        if (isNewDraftKey(key)) {
          const draft = await api.getDraft({ key });
          if (draft && untouched()) ctx.drafts?.apply(draft);
          return;
        }
        const entry = await api.getTemplate({ id: key });
        // Only into an untouched editor: nothing opened or typed meanwhile.
        if (entry.status !== 'ok' || !untouched()) return;
        loadDraft(ctx, entry.template, savedRef(entry), { draft: 'apply' });
      } catch {
        rememberTemplateId(null);
      }
    },
  };
}
