// The library of saved templates: the list (searched by name, tag and text), starters, rename,
// duplicate, delete with undo, import/export, and the versions of one template (diff, restore).
import { errorMessage, patch, type SliceContext } from './context';
import { loadDraft, savedRef } from './template-slice';
import type { Actions, LibrarySlice, VersionsView } from './types';

export const initialLibrary: LibrarySlice = {
  loaded: false,
  loading: false,
  entries: [],
  query: '',
  tags: [],
  error: null,
  problem: null,
  starters: [],
  drafts: [],
  deleted: null,
  versions: null,
};

type LibraryActions = Pick<
  Actions,
  | 'refreshLibrary'
  | 'setLibraryFilter'
  | 'loadStarters'
  | 'renameTemplate'
  | 'duplicateTemplate'
  | 'deleteTemplate'
  | 'undoDeleteTemplate'
  | 'importTemplateText'
  | 'exportTemplate'
  | 'openVersions'
  | 'compareVersions'
  | 'restoreVersion'
>;

export interface LibraryController {
  actions: LibraryActions;
  onLibraryEvent(problem: string | undefined): void;
}

export function createLibraryController(ctx: SliceContext): LibraryController {
  const { api, get } = ctx;
  let listSequence = 0;
  let diffSequence = 0;

  const fail = (error: unknown) => get().actions.notify(errorMessage(error), { tone: 'error' });
  const patchVersions = (changes: Partial<VersionsView>) =>
    patch(ctx, 'library', (l) => (l.versions ? { versions: { ...l.versions, ...changes } } : {}));

  const refreshLibrary = async () => {
    const mine = ++listSequence;
    const { query, tags } = get().library;
    patch(ctx, 'library', { loading: true });
    void get().actions.refreshDrafts();
    try {
      const text = query.trim();
      const entries = await api.listTemplates({ ...(text ? { text } : {}), ...(tags.length ? { tags } : {}) });
      if (mine !== listSequence) return;
      patch(ctx, 'library', { entries, loaded: true, loading: false, error: null });
    } catch (error) {
      if (mine !== listSequence) return;
      patch(ctx, 'library', { loaded: true, loading: false, error: errorMessage(error) });
    }
  };

  const compareVersions = async (from: number, to: number) => {
    const view = get().library.versions;
    if (!view) return;
    const [older, newer] = from <= to ? [from, to] : [to, from];
    const mine = ++diffSequence;
    patchVersions({ from: older, to: newer, diff: null, error: null });
    if (older === newer) return;
    try {
      const diff = await api.diffTemplateVersions({ id: view.id, from: older, to: newer });
      if (mine !== diffSequence || get().library.versions?.id !== view.id) return;
      patchVersions({ diff });
    } catch (error) {
      if (mine === diffSequence) patchVersions({ error: errorMessage(error) });
    }
  };

  const openVersions = async (id: string) => {
    const entry = get().library.entries.find((e) => e.id === id);
    const name = entry?.status === 'ok' ? entry.name : get().library.versions?.name ?? id;
    const keep = get().library.versions?.id === id;
    patch(ctx, 'library', (l) => ({
      versions: keep && l.versions ? { ...l.versions, loading: true } : { id, name, items: [], loading: true, error: null, from: null, to: null, diff: null },
    }));
    patch(ctx, 'ui', { dialog: 'versions' });
    try {
      const items = await api.listTemplateVersions({ id });
      if (get().library.versions?.id !== id) return;
      patchVersions({ items, loading: false, error: null });
      // Newest first: compare the latest with the one before it.
      const [latest, previous] = items;
      if (latest && previous) await compareVersions(previous.version, latest.version);
      else patchVersions({ from: null, to: latest?.version ?? null, diff: null });
    } catch (error) {
      patchVersions({ loading: false, error: errorMessage(error) });
    }
  };

  const actions: LibraryActions = {
    refreshLibrary,
    setLibraryFilter({ query, tags }) {
      patch(ctx, 'library', (l) => ({ query: query ?? l.query, tags: tags ?? l.tags }));
      void refreshLibrary();
    },
    async loadStarters() {
      if (get().library.starters.length) return;
      try {
        patch(ctx, 'library', { starters: await api.listStarters({}) });
      } catch (error) {
        fail(error);
      }
    },
    async renameTemplate(id, name) {
      const entry = get().library.entries.find((e) => e.id === id);
      if (!entry || entry.status !== 'ok' || !name.trim() || name === entry.name) return;
      try {
        const renamed = await api.renameTemplate({ id, name: name.trim(), expectedVersion: entry.version });
        if (renamed.status === 'ok' && get().template.saved?.id === id) {
          // The open draft follows (its other edits stay); its next save builds on the renamed version.
          patch(ctx, 'template', (t) => ({ draft: { ...t.draft, name: renamed.name }, saved: savedRef(renamed), revision: t.revision + 1 }));
        }
        await refreshLibrary();
      } catch (error) {
        fail(error);
        await refreshLibrary();
      }
    },
    async duplicateTemplate(id) {
      try {
        await api.duplicateTemplate({ id });
        await refreshLibrary();
      } catch (error) {
        fail(error);
      }
    },
    async deleteTemplate(id) {
      const entry = get().library.entries.find((e) => e.id === id);
      const name = entry?.status === 'ok' ? entry.name : (entry?.file ?? id);
      try {
        const { trashId } = await api.deleteTemplate({ id });
        const wasOpen = get().template.saved?.id === id;
        if (wasOpen) {
          // The draft stays in the editor, now unsaved: saving creates the template again.
          patch(ctx, 'template', (t) => ({ saved: null, dirty: true, revision: t.revision + 1 }));
        }
        patch(ctx, 'library', (l) => ({
          deleted: { trashId, id, name, wasOpen },
          entries: l.entries.filter((e) => e.id !== id),
          versions: l.versions?.id === id ? null : l.versions,
        }));
        get().actions.notify(`“${name}” deleted.`, { action: { label: 'Undo', kind: 'undo-delete-template' } });
        await refreshLibrary();
      } catch (error) {
        fail(error);
      }
    },
    async undoDeleteTemplate() {
      const deleted = get().library.deleted;
      if (!deleted) return;
      patch(ctx, 'library', { deleted: null });
      patch(ctx, 'ui', (ui) => ({ notices: ui.notices.filter((n) => n.action?.kind !== 'undo-delete-template') }));
      try {
        const entry = await api.undoDeleteTemplate({ trashId: deleted.trashId });
        const t = get().template;
        if (deleted.wasOpen && entry.status === 'ok' && t.saved === null) {
          patch(ctx, 'template', { saved: savedRef(entry) });
        }
        await refreshLibrary();
      } catch (error) {
        fail(error);
      }
    },
    async importTemplateText(text) {
      try {
        const entry = await api.importTemplate({ text });
        await refreshLibrary();
        if (entry.status === 'ok') {
          loadDraft(ctx, entry.template, savedRef(entry));
          get().actions.notify(`Imported “${entry.name}”.`);
        } else {
          get().actions.notify(`Imported, but the file is broken: ${entry.reason}`, { tone: 'error' });
        }
      } catch (error) {
        fail(error);
      }
    },
    async exportTemplate(id) {
      try {
        return await api.exportTemplate({ id });
      } catch (error) {
        fail(error);
        return null;
      }
    },
    openVersions,
    compareVersions,
    async restoreVersion(version) {
      const view = get().library.versions;
      const latest = view?.items[0];
      if (!view || !latest) return;
      try {
        const entry = await api.restoreTemplateVersion({ id: view.id, version, expectedVersion: latest.version });
        if (entry.status === 'ok' && get().template.saved?.id === view.id) loadDraft(ctx, entry.template, savedRef(entry));
        get().actions.notify(`Restored version ${version} as version ${entry.status === 'ok' ? entry.version : '?'}.`);
        await refreshLibrary();
        await openVersions(view.id);
      } catch (error) {
        patchVersions({ error: errorMessage(error) });
      }
    },
  };

  return {
    actions,
    onLibraryEvent(problem) {
      patch(ctx, 'library', { problem: problem ?? null });
      if (get().library.loaded) void refreshLibrary();
    },
  };
}
