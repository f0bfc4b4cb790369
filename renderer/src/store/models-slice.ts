// Registered models, the selection, and load/open flows. Model events from the backend are the
// source of truth; method responses are applied too since they may arrive first.
import { errorMessage, patch, type SliceContext } from './context';
import type { LoadOptions } from '../../../core/api/contract';
import { checkLoadOptions } from './load-options';
import type { Actions, AppInfo, ModelSummary, ModelsSlice } from './types';

export const initialModels: ModelsSlice = {
  byId: {},
  order: [],
  selectedId: null,
  openError: null,
  opening: false,
  fileDialog: 'unknown',
};

export function upsertModel(models: ModelsSlice, model: ModelSummary): Partial<ModelsSlice> {
  const known = Object.hasOwn(models.byId, model.id);
  return {
    byId: { ...models.byId, [model.id]: model },
    order: known ? models.order : [...models.order, model.id],
  };
}

/**
 * Merge the initial list with models already known from events that arrived while listModels
 * was in flight (those are at least as fresh, so they win).
 */
export function mergeModelList(models: ModelsSlice, list: ModelSummary[]): Partial<ModelsSlice> {
  const byId: Record<string, ModelSummary> = {};
  const order: string[] = [];
  for (const model of list) {
    byId[model.id] = models.byId[model.id] ?? model;
    order.push(model.id);
  }
  for (const id of models.order) {
    const model = models.byId[id];
    if (model && !Object.hasOwn(byId, id)) {
      byId[id] = model;
      order.push(id);
    }
  }
  return { byId, order };
}

/** The demo model if the backend named one, else the first demo, else the first model. */
export function defaultSelection(models: ModelSummary[], info: AppInfo | null): string | null {
  const demoId = info?.demoModelId;
  if (demoId && models.some((m) => m.id === demoId)) return demoId;
  return (models.find((m) => m.isDemo) ?? models[0])?.id ?? null;
}

/**
 * What a plain Load (or Retry) asks for: the settings the model was last loaded with. Without
 * them the backend would fall back to its defaults and drop what the user chose in the dialog.
 */
function lastOptions(model: ModelSummary | undefined): LoadOptions | undefined {
  if (!model?.loadOptions || Object.keys(model.loadOptions).length === 0) return undefined;
  const check = checkLoadOptions(model.loadOptions);
  return check.ok ? check.options : undefined;
}

type ModelActions = Pick<
  Actions,
  'selectModel' | 'loadModel' | 'unloadModel' | 'openModelPath' | 'pickModelFile' | 'clearOpenError'
>;

export function createModelActions(ctx: SliceContext): ModelActions {
  const { api, get } = ctx;
  const selected = (id?: string) => id ?? get().models.selectedId;

  /** A failed call whose event never came still has to show up on the model. */
  const markFailed = (id: string, error: unknown) =>
    patch(ctx, 'models', (models) => {
      const model = models.byId[id];
      if (!model || model.state === 'loaded') return {};
      return upsertModel(models, { ...model, state: 'error', error: errorMessage(error), loadProgress: undefined });
    });

  const loadModel: ModelActions['loadModel'] = async (id, request = {}) => {
    const modelId = selected(id);
    if (!modelId) return { ok: false, message: 'No model is selected.' };
    let checked: LoadOptions | undefined;
    if (request.options) {
      const check = checkLoadOptions(request.options);
      // Refused here, in the dialog's words, rather than as the backend's invalid-argument error.
      if (!check.ok) return { ok: false, message: check.message, field: check.field };
      checked = check.options;
    } else {
      checked = lastOptions(get().models.byId[modelId]);
    }
    patch(ctx, 'models', (models) => {
      const model = models.byId[modelId];
      // Show "loading" at once; progress events follow.
      return model && model.state !== 'loaded'
        ? { ...upsertModel(models, { ...model, state: 'loading', loadProgress: 0, error: undefined }), openError: null }
        : { openError: null };
    });
    try {
      const skipChecks = request.skipChecks ?? false;
      const model = await api.loadModel(checked ? { modelId, skipChecks, options: checked } : { modelId, skipChecks });
      patch(ctx, 'models', (models) => upsertModel(models, model));
      return { ok: true };
    } catch (error) {
      markFailed(modelId, error);
      return { ok: false, message: errorMessage(error) };
    }
  };

  const openModelPath: ModelActions['openModelPath'] = async (rawPath) => {
    const path = rawPath.trim();
    if (!path) {
      patch(ctx, 'models', { openError: 'Enter the path of a .gguf file to open.' });
      return;
    }
    patch(ctx, 'models', { opening: true, openError: null });
    let model: ModelSummary;
    try {
      model = await api.openModel({ path });
    } catch (error) {
      patch(ctx, 'models', { opening: false, openError: errorMessage(error) });
      return;
    }
    patch(ctx, 'models', (models) => ({ ...upsertModel(models, model), selectedId: model.id, opening: false }));
    if (model.state !== 'loaded') await loadModel(model.id);
  };

  return {
    selectModel(id) {
      patch(ctx, 'models', { selectedId: id, openError: null });
    },
    loadModel,
    async unloadModel(id) {
      const modelId = selected(id);
      if (!modelId) return;
      try {
        const model = await api.unloadModel({ modelId });
        patch(ctx, 'models', (models) => upsertModel(models, model));
      } catch (error) {
        markFailed(modelId, error);
      }
    },
    openModelPath,
    async pickModelFile() {
      try {
        const picked = await api.pickModelFile({});
        patch(ctx, 'models', { fileDialog: picked.supported ? 'supported' : 'unsupported' });
        if (picked.supported && picked.path) await openModelPath(picked.path);
      } catch (error) {
        patch(ctx, 'models', { openError: errorMessage(error) });
      }
    },
    clearOpenError() {
      if (get().models.openError !== null) patch(ctx, 'models', { openError: null });
    },
  };
}
