// Layout state (sidebar tab, open dialog) and short notices, some with an Undo/Restore button.
import { patch, type SliceContext } from './context';
import type { Actions, NoticeAction, UiSlice } from './types';

export const initialUi: UiSlice = {
  sidebar: 'library',
  sidebarOpen: true,
  dialog: null,
  notices: [],
};

/** At most this many notices at once (the oldest go first). */
const MAX_NOTICES = 4;

type UiActions = Pick<Actions, 'setSidebar' | 'toggleSidebar' | 'openDialog' | 'notify' | 'dismissNotice' | 'runNoticeAction'>;

export function createUiActions(ctx: SliceContext): UiActions {
  const { get } = ctx;
  let nextId = 1;

  const dispatch = (kind: NoticeAction) => {
    const { actions } = get();
    switch (kind) {
      case 'undo-example':
        return actions.undoDeleteExample();
      case 'undo-delete-template':
        return void actions.undoDeleteTemplate();
      case 'reload-template':
        return void actions.reloadTemplate();
    }
  };

  return {
    setSidebar(tab) {
      patch(ctx, 'ui', { sidebar: tab, sidebarOpen: true });
      const { actions, history, library } = get();
      if (tab === 'history' && !history.loaded) void actions.loadHistory();
      if (tab === 'library' && !library.loaded) void actions.refreshLibrary();
    },
    toggleSidebar() {
      patch(ctx, 'ui', (ui) => ({ sidebarOpen: !ui.sidebarOpen }));
    },
    openDialog(dialog) {
      patch(ctx, 'ui', { dialog });
      if (dialog === 'starters') void get().actions.loadStarters();
    },
    notify(text, options = {}) {
      const id = nextId++;
      const kind = options.action?.kind;
      patch(ctx, 'ui', (ui) => ({
        // One notice per undoable thing: a newer delete replaces the older Undo.
        notices: [...ui.notices.filter((n) => !kind || n.action?.kind !== kind), { id, text, tone: options.tone ?? 'info', ...(options.action ? { action: options.action } : {}) }].slice(-MAX_NOTICES),
      }));
      return id;
    },
    dismissNotice(id) {
      patch(ctx, 'ui', (ui) => ({ notices: ui.notices.filter((n) => n.id !== id) }));
    },
    runNoticeAction(id) {
      const notice = get().ui.notices.find((n) => n.id === id);
      patch(ctx, 'ui', (ui) => ({ notices: ui.notices.filter((n) => n.id !== id) }));
      if (notice?.action) dispatch(notice.action.kind);
    },
  };
}
