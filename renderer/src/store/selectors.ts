// Narrow selectors: components subscribe to the smallest piece they render.
import type { AppState, ModelSummary } from './types';

export const selectActions = (s: AppState) => s.actions;

export const selectSelectedModel = (s: AppState): ModelSummary | null =>
  s.models.selectedId ? (s.models.byId[s.models.selectedId] ?? null) : null;

/** What the picker shows under `model-error`: a failed open, else the selected model's load error. */
export const selectModelError = (s: AppState): string | null => {
  if (s.models.openError) return s.models.openError;
  const model = selectSelectedModel(s);
  return model?.state === 'error' ? (model.error ?? 'The model failed to load.') : null;
};

export const selectIsRunning = (s: AppState) => s.run.status === 'running';

/** A single run or any comparison run still going: reloading a model now would cut them off. */
export const selectIsGenerating = (s: AppState): boolean =>
  s.run.status === 'running' || s.compare.starting || s.compare.runOrder.some((id) => isLive(s.compare.runs[id]?.status));

const isLive = (status: string | undefined) => status === 'starting' || status === 'queued' || status === 'running';

export const selectCanRun = (s: AppState) =>
  s.run.status !== 'running' && s.models.selectedId !== null && s.app.connection === 'ready';
