// Builds the renderer's store around a ShotglassApi and routes backend events to the slices.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BackendEvent, ShotglassApi } from '../../../electron/api/contract';
import { applyHostEvent, createAppActions, initialApp } from './app-slice';
import { patch, type SliceContext } from './context';
import { createEditorActions, initialEditor } from './editor-slice';
import type { FrameScheduler } from './frame-batcher';
import { createModelActions, initialModels, upsertModel } from './models-slice';
import { createRunController, initialRun } from './run-slice';
import type { AppState } from './types';

export interface AppStore extends StoreApi<AppState> {}

export interface StoreOptions {
  /** How streamed deltas wait for the next frame (default: requestAnimationFrame or a 16 ms timer). */
  scheduler?: FrameScheduler;
  now?: () => number;
}

const defaultNow = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export function createAppStore(api: ShotglassApi, options: StoreOptions = {}): AppStore {
  return createStore<AppState>()((set, get) => {
    const ctx: SliceContext = { api, set, get, now: options.now ?? defaultNow };
    const runs = createRunController(ctx, options.scheduler);

    const onEvent = (event: BackendEvent) => {
      switch (event.type) {
        case 'model':
          patch(ctx, 'models', (models) => upsertModel(models, event.model));
          return;
        case 'run.delta':
        case 'run.end':
        case 'run.error':
          runs.onRunEvent(event);
          return;
        case 'host':
          applyHostEvent(ctx, event);
          return;
      }
    };
    // Subscribed before init() asks for the model list, so no model event can fall in between.
    // A transport that cannot even subscribe (e.g. no WebSocket from file://) must not take the
    // whole screen down: init() then reports the backend as unreachable.
    let unsubscribe = () => {};
    try {
      unsubscribe = api.onEvent(onEvent);
    } catch (error) {
      console.error('Shotglass: cannot subscribe to backend events', error);
    }

    return {
      app: initialApp,
      models: initialModels,
      editor: initialEditor,
      run: initialRun,
      actions: {
        ...createAppActions(ctx),
        ...createModelActions(ctx),
        ...createEditorActions(ctx),
        ...runs.actions,
        dispose() {
          unsubscribe();
          runs.dispose();
        },
      },
    };
  });
}
