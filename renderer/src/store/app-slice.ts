// App info, the first connection to the backend, the inference host's status line and what the
// host runs on (backend, memory, addon).
import { errorMessage, patch, type SliceContext } from './context';
import { defaultSelection, mergeModelList } from './models-slice';
import type { Actions, AppSlice, HostEvent } from './types';

export const initialApp: AppSlice = {
  info: null,
  connection: 'connecting',
  connectionError: null,
  host: { status: null, message: null },
  system: null,
};

/** What init() starts once the backend answers (each reports its own failures). */
export type AfterReady = () => void;

type AppActions = Pick<Actions, 'init' | 'refreshSystemInfo' | 'setAccelerator'>;

export function createAppController(ctx: SliceContext, afterReady: AfterReady = () => {}) {
  // Asking starts the inference process, whose "ready" arrives while the first answer is awaited:
  // one question at a time is enough.
  let asking = false;
  const refreshSystemInfo: AppActions['refreshSystemInfo'] = async () => {
    if (asking) return;
    asking = true;
    try {
      const system = await ctx.api.getSystemInfo({});
      patch(ctx, 'app', { system });
    } catch {
      // Not knowing the backend must not cost the status bar: keep what was known.
    } finally {
      asking = false;
    }
  };

  const actions: AppActions = {
    async init() {
      patch(ctx, 'app', { connection: 'connecting', connectionError: null });
      try {
        const [info, list] = await Promise.all([ctx.api.getAppInfo({}), ctx.api.listModels({})]);
        patch(ctx, 'app', { info, connection: 'ready' });
        patch(ctx, 'models', (models) => {
          const merged = mergeModelList(models, list);
          const selectedId =
            models.selectedId && merged.byId?.[models.selectedId] ? models.selectedId : defaultSelection(list, info);
          return { ...merged, selectedId };
        });
      } catch (error) {
        patch(ctx, 'app', { connection: 'error', connectionError: errorMessage(error) });
        return;
      }
      void refreshSystemInfo();
      afterReady();
    },
    refreshSystemInfo,
    async setAccelerator(backend) {
      try {
        const system = await ctx.api.setAccelerator({ backend });
        patch(ctx, 'app', { system });
        return null;
      } catch (error) {
        return errorMessage(error);
      }
    },
  };

  return {
    actions,
    onHostEvent(event: HostEvent) {
      applyHostEvent(ctx, event);
      // A restarted process may run on another backend, with other free memory.
      if (event.status === 'ready') void refreshSystemInfo();
    },
  };
}

export function applyHostEvent(ctx: SliceContext, event: HostEvent): void {
  patch(ctx, 'app', (app) => ({ host: { status: event.status, message: event.message ?? app.host.message } }));
}
