// Run history: the list (filtered by template, model and text, a page at a time), one run opened
// with everything that was kept, re-run, and back into the editor.
import type { ChatMessage, PromptInput, Sampling, StoredRun } from '../../../core/api/contract';
import { errorMessage, patch, type SliceContext } from './context';
import type { StartRequest } from './run-request';
import { sanitizeSampling } from './sampling';
import { markEdited } from './template-slice';
import type { Actions, HistorySlice } from './types';

export const HISTORY_PAGE = 40;

export const initialHistory: HistorySlice = {
  loaded: false,
  loading: false,
  filter: { templateId: null, modelPath: null, text: '' },
  items: [],
  nextCursor: null,
  error: null,
  open: null,
};

type HistoryActions = Pick<
  Actions,
  'loadHistory' | 'loadMoreHistory' | 'setHistoryFilter' | 'openRun' | 'closeRun' | 'rerun' | 'openRunInEditor' | 'deleteRun'
>;

export interface HistoryController {
  actions: HistoryActions;
  /** A run was stored: show it if the list is on screen. */
  onStored(): void;
}

/** What a stored run was given: its text, or its chat messages (kept as JSON). */
export function storedInput(run: StoredRun): PromptInput {
  if (run.mode === 'completion') return { mode: 'completion', text: run.prompt };
  try {
    const messages = JSON.parse(run.prompt) as ChatMessage[];
    if (Array.isArray(messages) && messages.length) return { mode: 'chat', messages };
  } catch {
    // fall through: shown as text
  }
  return { mode: 'completion', text: run.prompt };
}

/** The settings a stored run used (its record has every field, the seed that was drawn included). */
export function storedSampling(run: StoredRun): Sampling {
  const recorded = (run.record as { sampling?: Sampling }).sampling ?? (run.sampling as unknown as Sampling);
  return sanitizeSampling(recorded);
}

export function createHistoryController(ctx: SliceContext, start: (request: StartRequest, prompt: string) => Promise<void>): HistoryController {
  const { api, get } = ctx;
  let sequence = 0;

  const query = () => {
    const { filter } = get().history;
    const text = filter.text.trim();
    return {
      limit: HISTORY_PAGE,
      ...(filter.templateId ? { templateId: filter.templateId } : {}),
      ...(filter.modelPath ? { modelPath: filter.modelPath } : {}),
      ...(text ? { text } : {}),
    };
  };

  const loadHistory = async () => {
    const mine = ++sequence;
    patch(ctx, 'history', { loading: true });
    try {
      const page = await api.listRuns(query());
      if (mine !== sequence) return;
      patch(ctx, 'history', { items: page.items, nextCursor: page.nextCursor, loaded: true, loading: false, error: null });
    } catch (error) {
      if (mine !== sequence) return;
      patch(ctx, 'history', { loaded: true, loading: false, error: errorMessage(error) });
    }
  };

  const fetchRun = async (id: string): Promise<StoredRun | null> => {
    const open = get().history.open;
    if (open?.id === id && open.run) return open.run;
    try {
      return await api.getRun({ id, probabilities: false });
    } catch (error) {
      get().actions.notify(errorMessage(error), { tone: 'error' });
      return null;
    }
  };

  const actions: HistoryActions = {
    loadHistory,
    async loadMoreHistory() {
      const { nextCursor, loading } = get().history;
      if (!nextCursor || loading) return;
      const mine = ++sequence;
      patch(ctx, 'history', { loading: true });
      try {
        const page = await api.listRuns({ ...query(), cursor: nextCursor });
        if (mine !== sequence) return;
        patch(ctx, 'history', (h) => ({ items: [...h.items, ...page.items], nextCursor: page.nextCursor, loading: false, error: null }));
      } catch (error) {
        if (mine === sequence) patch(ctx, 'history', { loading: false, error: errorMessage(error) });
      }
    },
    setHistoryFilter(changes) {
      patch(ctx, 'history', (h) => ({ filter: { ...h.filter, ...changes } }));
      void loadHistory();
    },
    async openRun(id) {
      patch(ctx, 'history', { open: { id, run: null, loading: true, error: null } });
      patch(ctx, 'ui', { dialog: 'run' });
      try {
        const run = await api.getRun({ id, probabilities: true });
        if (get().history.open?.id !== id) return;
        patch(ctx, 'history', { open: { id, run, loading: false, error: null } });
      } catch (error) {
        if (get().history.open?.id === id) patch(ctx, 'history', { open: { id, run: null, loading: false, error: errorMessage(error) } });
      }
    },
    closeRun() {
      patch(ctx, 'history', { open: null });
      if (get().ui.dialog === 'run') patch(ctx, 'ui', { dialog: null });
    },
    async rerun(id) {
      const run = await fetchRun(id);
      if (!run || get().run.status === 'running') return;
      // The same model file: registered already, or opened again by its path.
      let model = Object.values(get().models.byId).find((m) => m.path === run.modelPath);
      if (!model) {
        try {
          await get().actions.openModelPath(run.modelPath);
        } catch {
          // openModelPath reports its own failure
        }
        model = Object.values(get().models.byId).find((m) => m.path === run.modelPath);
        if (!model) return;
      }
      get().actions.selectModel(model.id);
      const record = run.record as { topProbabilities?: number; constraint?: unknown };
      const input = storedInput(run);
      const request: StartRequest = {
        modelId: model.id,
        input,
        sampling: storedSampling(run),
        topProbabilities: typeof record.topProbabilities === 'number' ? record.topProbabilities : get().editor.topProbabilities,
        ...(run.templateId ? { templateId: run.templateId } : {}),
        ...(run.templateVersion ? { templateVersion: run.templateVersion } : {}),
        ...(run.templateHash ? { templateHash: run.templateHash } : {}),
      };
      actions.closeRun();
      await start(request, input.mode === 'completion' ? input.text : run.prompt);
    },
    openRunInEditor(id) {
      const run = get().history.open?.id === id ? get().history.open?.run : null;
      if (!run) return;
      const input = storedInput(run);
      const text =
        input.mode === 'completion' ? input.text : input.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
      patch(ctx, 'editor', { tab: 'raw', prompt: text, sampling: storedSampling(run), preset: null });
      markEdited(ctx);
      actions.closeRun();
    },
    async deleteRun(id) {
      try {
        await api.deleteRun({ id });
        patch(ctx, 'history', (h) => ({ items: h.items.filter((r) => r.id !== id) }));
        if (get().history.open?.id === id) actions.closeRun();
      } catch (error) {
        get().actions.notify(errorMessage(error), { tone: 'error' });
      }
    },
  };

  return {
    actions,
    onStored() {
      if (get().history.loaded) void loadHistory();
    },
  };
}
