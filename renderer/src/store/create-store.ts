// Builds the renderer's store around a ShotglassApi and routes backend events to the slices.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServiceEvent, ShotglassApi } from '../../../core/api/contract';
import { createAppController, initialApp } from './app-slice';
import { patch, type SliceContext } from './context';
import { createDraftKeeper, type DraftKeeper } from './drafts';
import { createEditorActions, initialEditor } from './editor-slice';
import type { FrameScheduler } from './frame-batcher';
import { createHistoryController, initialHistory } from './history-slice';
import { createLibraryController, initialLibrary } from './library-slice';
import { createModelActions, initialModels, upsertModel } from './models-slice';
import { createCompareController, initialCompare } from './compare-slice';
import { createPresetActions, initialPresets } from './presets-slice';
import { createPreviewController, initialPreview, type PreviewController, type Timers } from './preview';
import { createRunController, initialRun } from './run-slice';
import { createTemplateController, initialTemplate } from './template-slice';
import type { AppState } from './types';
import { createUiActions, initialUi } from './ui-slice';

export interface AppStore extends StoreApi<AppState> {}

export interface StoreOptions {
  /** How streamed deltas wait for the next frame (default: requestAnimationFrame or a 16 ms timer). */
  scheduler?: FrameScheduler;
  now?: () => number;
  /** The preview's debounce (default 150 ms) and its timers (injectable for tests). */
  previewDelayMs?: number;
  timers?: Timers;
}

const defaultNow = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export function createAppStore(api: ShotglassApi, options: StoreOptions = {}): AppStore {
  let preview: PreviewController | undefined;
  let keeper: DraftKeeper | undefined;
  let stopWatching = () => {};
  let stopFollowing = () => {};
  let followWorkbench: ((state: AppState, previous: AppState) => void) | undefined;
  const store = createStore<AppState>()((set, get) => {
    const ctx: SliceContext = { api, set, get, now: options.now ?? defaultNow };
    const drafts = createDraftKeeper(ctx, options.timers);
    ctx.drafts = drafts;
    keeper = drafts;
    const runs = createRunController(ctx, options.scheduler);
    const templates = createTemplateController(ctx);
    const library = createLibraryController(ctx);
    const history = createHistoryController(ctx, runs.start);
    const compare = createCompareController(ctx, options.scheduler);
    followWorkbench = compare.watch;
    // afterReady is defined below; by the time init() calls it, it exists.
    const app = createAppController(ctx, () => afterReady());
    preview = createPreviewController(ctx, { delayMs: options.previewDelayMs, timers: options.timers });

    const onEvent = (event: ServiceEvent) => {
      switch (event.type) {
        case 'model': {
          const before = get().models.byId[event.model.id]?.state;
          patch(ctx, 'models', (models) => upsertModel(models, event.model));
          if (before !== event.model.state && (event.model.state === 'loaded' || event.model.state === 'unloaded')) app.onHostWorked();
          return;
        }
        case 'run.end':
          runs.onRunEvent(event);
          compare.onRunEvent(event);
          app.onHostWorked();
          return;
        case 'run.delta':
        case 'run.error':
          runs.onRunEvent(event);
          compare.onRunEvent(event);
          return;
        case 'run.state':
          compare.onRunEvent(event);
          return;
        case 'history':
          runs.onHistoryEvent(event);
          history.onStored();
          return;
        case 'library':
          library.onLibraryEvent(event.problem);
          return;
        case 'host':
          app.onHostEvent(event);
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

    const afterReady = () => {
      const { actions, ui } = get();
      void actions.loadPresets();
      if (ui.sidebar === 'library') void actions.refreshLibrary();
      if (ui.sidebar === 'history') void actions.loadHistory();
      void templates.restoreLast();
      preview?.refresh();
    };

    return {
      app: initialApp,
      models: initialModels,
      editor: initialEditor,
      template: initialTemplate,
      preview: initialPreview,
      run: initialRun,
      presets: initialPresets,
      library: initialLibrary,
      history: initialHistory,
      ui: initialUi,
      compare: initialCompare,
      actions: {
        ...app.actions,
        ...createModelActions(ctx),
        ...createEditorActions(ctx),
        ...createPresetActions(ctx),
        ...templates.actions,
        ...library.actions,
        ...history.actions,
        ...createUiActions(ctx),
        ...runs.actions,
        ...compare.actions,
        ...drafts.actions,
        refreshPreview() {
          preview?.refresh();
        },
        dispose() {
          unsubscribe();
          stopWatching();
          stopFollowing();
          runs.dispose();
          compare.dispose();
          preview?.dispose();
          drafts.dispose();
        },
      },
    };
  });
  const watcher = preview;
  const draftWatcher = keeper;
  if (watcher && draftWatcher) {
    stopWatching = store.subscribe((state, previous) => {
      watcher.watch(state, previous);
      draftWatcher.watch(state, previous);
    });
    // The template's variables and diagnostics are there from the first frame, backend or not.
    watcher.refresh();
  }
  // The compare builder follows the workbench template its variants were made from.
  const follow = followWorkbench;
  if (follow) stopFollowing = store.subscribe((state, previous) => follow(state, previous));
  return store;
}
