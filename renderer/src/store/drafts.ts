// Unsaved work is never dropped: the working state of the open template (the edited template, its
// variable values and run settings) is kept as a draft in the data folder through the service
// (saveDraft, electron/backend/drafts.ts), a short pause after each change and at once before
// another template replaces it. A reopened template offers its draft (Restore / Discard); an
// unsaved new template is listed in the library and reopened from there; a reload or restart
// brings the last working state back by itself.
import type { ApiInput, Draft, DraftSummary } from '../../../core/api/contract';
import type { Template } from '../../../core/prompt/index';
import { errorMessage, patch, type SliceContext } from './context';
import { clearFinishedRun } from './run-state';
import { defaultTimers, type Timers } from './preview';
import type { DraftKeeper } from './draft-keeper';
import type { Actions, AppState } from './types';

export const DRAFT_DELAY_MS = 400;

type DraftInput = Omit<ApiInput<'saveDraft'>['draft'], 'template'> & { template: Template };

/** A key for a template never saved (the alphabet DraftKeySchema allows). */
export function newDraftKey(): string {
  const random =
    typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `new-${random}`;
}

export const isNewDraftKey = (key: string) => key.startsWith('new-');

/** What a draft of the open template would hold; null when there is nothing unsaved to keep. */
export function draftOf(state: AppState): DraftInput | null {
  const t = state.template;
  const hasValues = Object.keys(t.values).length > 0;
  if (!t.dirty && !hasValues) return null;
  return {
    key: t.draftKey,
    template: t.draft,
    base: t.saved ? { id: t.saved.id, version: t.saved.version } : null,
    values: t.values,
    sampling: state.editor.sampling,
    preset: state.editor.preset,
    edited: t.dirty,
  };
}

const summaryOf = (draft: DraftInput, savedAt: string): DraftSummary => ({
  key: draft.key,
  base: draft.base,
  edited: draft.edited,
  savedAt,
  name: draft.template.name,
});

export type { DraftKeeper } from './draft-keeper';

export function createDraftKeeper(ctx: SliceContext, timers: Timers = defaultTimers, delayMs = DRAFT_DELAY_MS): DraftKeeper {
  const { api, get } = ctx;
  let timer: unknown = null;

  const upsertSummary = (summary: DraftSummary) =>
    patch(ctx, 'library', (l) => ({ drafts: [summary, ...l.drafts.filter((d) => d.key !== summary.key)] }));
  const dropSummary = (key: string) => patch(ctx, 'library', (l) => ({ drafts: l.drafts.filter((d) => d.key !== key) }));

  const write = async (draft: DraftInput) => {
    try {
      const { savedAt } = await api.saveDraft({ draft });
      upsertSummary(summaryOf(draft, savedAt));
      if (get().template.draftKey === draft.key) patch(ctx, 'template', { draftKept: true, draftError: null });
    } catch (error) {
      if (get().template.draftKey === draft.key) patch(ctx, 'template', { draftError: errorMessage(error) });
    }
  };

  const discard = async (key: string) => {
    try {
      await api.discardDraft({ key });
      dropSummary(key);
    } catch (error) {
      get().actions.notify(`The draft could not be discarded: ${errorMessage(error)}`, { tone: 'error' });
    }
  };

  const cancelTimer = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
  };

  const flush = async () => {
    cancelTimer();
    const state = get();
    // An offered draft is not overwritten before the user chose Restore or Discard.
    if (state.template.offeredDraft) return;
    const draft = draftOf(state);
    if (draft) await write(draft);
  };

  const apply = (draft: Draft) => {
    patch(ctx, 'template', (t) => ({
      draft: draft.template,
      values: draft.values,
      dirty: draft.edited,
      revision: t.revision + 1,
      loadCount: t.loadCount + 1,
      draftKey: draft.key,
      draftKept: true,
      offeredDraft: null,
      // Undo steps back to the version the draft replaced.
      past: t.draft === draft.template ? t.past : [...t.past, t.draft],
      future: [],
      conflict: null,
      saveError: null,
      deletedExample: null,
    }));
    patch(ctx, 'editor', { tab: 'template', sampling: draft.sampling, preset: draft.preset });
    const origin = get().run.origin;
    if (origin && (origin.kind !== 'template' || origin.key !== draft.key)) clearFinishedRun(ctx);
  };

  return {
    watch(state, previous) {
      const t = state.template;
      const p = previous.template;
      if (t.revision === p.revision && t.values === p.values) return;
      // Loading another template bumps the revision too: nothing of it to keep yet.
      if (t.loadCount !== p.loadCount) return;
      cancelTimer();
      timer = timers.set(() => void flush(), delayMs);
    },
    keepNow: flush,
    afterSave(previousKey) {
      const state = get();
      if (previousKey !== state.template.draftKey) void discard(previousKey);
      const draft = draftOf(state);
      if (draft) void write(draft);
      else if (state.template.draftKept) {
        patch(ctx, 'template', { draftKept: false });
        void discard(state.template.draftKey);
      }
    },
    async offer(key, mode = 'offer') {
      let draft: Draft | null;
      try {
        draft = await api.getDraft({ key });
      } catch {
        return; // no data folder: nothing was kept
      }
      const t = get().template;
      if (!draft || t.draftKey !== key) return;
      if (mode === 'apply' && !t.dirty) {
        apply(draft);
        return;
      }
      if (!draft.edited) {
        // Only typed values: they are part of the working state, taken back silently (unless typed anew meanwhile).
        if (Object.keys(t.values).length === 0) patch(ctx, 'template', { values: draft.values, draftKept: true });
        return;
      }
      patch(ctx, 'template', { offeredDraft: draft });
    },
    apply,
    dispose: cancelTimer,
    actions: {
      restoreOfferedDraft() {
        const offered = get().template.offeredDraft;
        if (offered) apply(offered);
      },
      async discardDraft(key) {
        const t = get().template;
        if (t.draftKey === key) {
          cancelTimer();
          patch(ctx, 'template', { offeredDraft: null, draftKept: false });
        }
        await discard(key);
      },
      async openDraft(key) {
        if (!isNewDraftKey(key)) return get().actions.openTemplate(key);
        await flush();
        try {
          const draft = await api.getDraft({ key });
          if (!draft) {
            dropSummary(key);
            get().actions.notify('That draft is no longer there.', { tone: 'error' });
            return;
          }
          patch(ctx, 'template', { saved: null, saving: false });
          apply(draft);
        } catch (error) {
          get().actions.notify(errorMessage(error), { tone: 'error' });
        }
      },
      async refreshDrafts() {
        try {
          patch(ctx, 'library', { drafts: await api.listDrafts({}) });
        } catch {
          // no data folder: no drafts to list
        }
      },
    },
  };
}
