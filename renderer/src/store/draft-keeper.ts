// What keeps unsaved work as drafts (drafts.ts implements it): the slice context holds one, so
// its shape lives apart from the implementation, which uses the context.
import type { Draft } from '../../../core/api/contract';
import type { Actions, AppState } from './types';

type DraftActions = Pick<Actions, 'restoreOfferedDraft' | 'discardDraft' | 'openDraft' | 'refreshDrafts'>;

export interface DraftKeeper {
  actions: DraftActions;
  /** Store subscription: a change to the template, its values or its settings schedules a write. */
  watch(state: AppState, previous: AppState): void;
  /** Write the open template's draft now (before it is replaced); resolves when written. */
  keepNow(): Promise<void>;
  /** After a save: discard the draft if nothing unsaved is left, else rewrite it (values only). */
  afterSave(previousKey: string): void;
  /** A template was loaded under `key`: offer its draft (or with 'apply', put it in the editor); typed values alone come back silently. */
  offer(key: string, mode?: 'offer' | 'apply'): Promise<void>;
  /** Put a draft in the editor as the working state. */
  apply(draft: Draft): void;
  dispose(): void;
}

