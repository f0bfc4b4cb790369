// App info, the first connection to the backend, and the inference host's status line.
import { errorMessage, patch, type SliceContext } from './context';
import { defaultSelection, mergeModelList } from './models-slice';
import type { Actions, AppSlice, HostEvent } from './types';

export const initialApp: AppSlice = {
  info: null,
  connection: 'connecting',
  connectionError: null,
  host: { status: null, message: null },
};

/** What init() starts once the backend answers (each reports its own failures). */
export type AfterReady = () => void;

export function createAppActions(ctx: SliceContext, afterReady: AfterReady = () => {}): Pick<Actions, 'init'> {
  return {
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
      afterReady();
    },
  };
}

export function applyHostEvent(ctx: SliceContext, event: HostEvent): void {
  patch(ctx, 'app', (app) => ({ host: { status: event.status, message: event.message ?? app.host.message } }));
}
