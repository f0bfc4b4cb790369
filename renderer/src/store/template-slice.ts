// The template being edited: its draft, where it is saved, the variable values, and every edit
// (fields, examples, variables, technique and mode). Saving creates the library entry the first
// time and then saves new versions; a save the library refuses as stale is never retried blindly.
import type { SavedTemplate, TemplateEntry } from '../../../core/api/contract';
import { defaultTemplate, fieldSource, switchMode, switchTechnique, type Template } from '../../../core/prompt/index';
import { lastTemplateId, rememberTemplateId } from '../lib/persist';
import { errorCode, errorMessage, patch, type SliceContext } from './context';
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
  setAside: null,
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

/** Put a template in the editor (its settings in the sampling panel); unsaved work is set aside, never lost. */
export function loadDraft(ctx: SliceContext, template: Template, saved: SavedRef | null): void {
  const state = ctx.get();
  const current = state.template;
  if (current.dirty) {
    patch(ctx, 'template', {
      setAside: {
        draft: current.draft,
        saved: current.saved,
        values: current.values,
        sampling: state.editor.sampling,
        preset: state.editor.preset,
      },
    });
    state.actions.notify(`Unsaved changes to “${current.draft.name}” were set aside.`, {
      action: { label: 'Restore', kind: 'restore-draft' },
    });
  }
  const { sampling, preset, error } = samplingFromTemplate(template.sampling, state.presets.user);
  // The same template again (reloaded, restored): the values typed for it stay.
  const sameTemplate = saved !== null && current.saved?.id === saved.id;
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
  }));
  patch(ctx, 'editor', { tab: 'template', sampling, preset });
  rememberTemplateId(saved?.id ?? null);
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
  | 'restoreSetAside'
>;

export interface TemplateController {
  actions: TemplateActions;
  /** Reopen the template of the last session, if the editor is still untouched. */
  restoreLast(): Promise<void>;
}

export function createTemplateController(ctx: SliceContext): TemplateController {
  const { api, get } = ctx;

  const edit = (change: (draft: Template) => Template) =>
    patch(ctx, 'template', (t) => {
      const draft = change(t.draft);
      return draft === t.draft ? {} : { draft, dirty: true, revision: t.revision + 1 };
    });

  const okEntry = (entry: TemplateEntry): SavedTemplate => {
    if (entry.status !== 'ok') throw new Error(entry.reason);
    return entry;
  };

  const afterSave = (entry: SavedTemplate) => {
    rememberTemplateId(entry.id);
    const { library } = get();
    if (library.loaded) void get().actions.refreshLibrary();
    if (library.versions?.id === entry.id) void get().actions.openVersions(entry.id);
  };

  const actions: TemplateActions = {
    setTemplateField(field, value) {
      edit((t) => (fieldSource(t, field) === value ? t : ops.setField(t, field, value)));
    },
    updateTemplate(changes) {
      edit((t) => ({ ...t, ...changes }));
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
      edit((t) => ops.updateExample(t, index, changes));
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
      edit((t) => ops.updateVariable(t, name, changes));
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
        afterSave(entry);
      } catch (error) {
        if (errorCode(error) === 'conflict') patch(ctx, 'template', { saving: false, conflict: errorMessage(error) });
        else patch(ctx, 'template', { saving: false, saveError: errorMessage(error) });
      }
    },
    async saveTemplateAsCopy() {
      const state = get();
      if (state.template.saving) return;
      const template = { ...templateForSave(state), name: `${state.template.draft.name} (copy)`.slice(0, 200) };
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
        afterSave(entry);
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
    restoreSetAside() {
      const aside = get().template.setAside;
      if (!aside) return;
      patch(ctx, 'template', (t) => ({
        draft: aside.draft,
        saved: aside.saved,
        values: aside.values,
        dirty: true,
        revision: t.revision + 1,
        loadCount: t.loadCount + 1,
        conflict: null,
        saveError: null,
        deletedExample: null,
        setAside: null,
      }));
      patch(ctx, 'editor', { tab: 'template', sampling: aside.sampling, preset: aside.preset });
      patch(ctx, 'ui', (ui) => ({ notices: ui.notices.filter((n) => n.action?.kind !== 'restore-draft') }));
      rememberTemplateId(aside.saved?.id ?? null);
    },
  };

  return {
    actions,
    async restoreLast() {
      const id = lastTemplateId();
      if (!id) return;
      const loadCount = get().template.loadCount;
      try {
        const entry = await api.getTemplate({ id });
        const state = get().template;
        // Only into an untouched editor: nothing opened or typed meanwhile.
        if (entry.status !== 'ok' || state.dirty || state.saved || state.loadCount !== loadCount) return;
        loadDraft(ctx, entry.template, savedRef(entry));
      } catch {
        rememberTemplateId(null);
      }
    },
  };
}
