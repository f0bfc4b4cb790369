// The live preview: after each pause in typing (debounced), the prompt is assembled here (the same
// assemble() a run uses) and, when the selected model is loaded, rendered by the backend through
// the model's own chat template and tokenizer. Tokenizing happens in the inference process, never
// on the UI thread; an answer for anything but the latest request is dropped.
import type { PromptInput } from '../../../core/api/contract';
import {
  assemble,
  lintTemplate,
  MissingVariablesError,
  PromptError,
  toPromptInput,
  usedVariableNames,
  type AssembledPrompt,
} from '../../../core/prompt/index';
import { errorMessage, patch, type SliceContext } from './context';
import type { AppState, PreviewSlice } from './types';

export const PREVIEW_DELAY_MS = 150;

export const initialPreview: PreviewSlice = {
  status: 'idle',
  assembled: null,
  input: null,
  error: null,
  missing: [],
  warnings: [],
  diagnostics: [],
  usedVariables: [],
  rendered: null,
  rendering: false,
  renderError: null,
  needsModel: false,
};

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const defaultTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PreviewController {
  /** Call on every state change: schedules a refresh when something the preview shows changed. */
  watch(state: AppState, previous: AppState): void;
  /** Refresh now (no debounce). */
  refresh(): void;
  dispose(): void;
}

const selectedModel = (s: AppState) => (s.models.selectedId ? s.models.byId[s.models.selectedId] : undefined);

function inputsChanged(s: AppState, p: AppState): boolean {
  if (s.editor.tab !== p.editor.tab) return true;
  if (s.editor.tab === 'raw' ? s.editor.prompt !== p.editor.prompt : s.template.draft !== p.template.draft || s.template.values !== p.template.values) {
    return true;
  }
  if (s.models.selectedId !== p.models.selectedId) return true;
  const model = selectedModel(s);
  const before = selectedModel(p);
  return model?.state !== before?.state || model?.contextSize !== before?.contextSize;
}

/** The prompt as the editor stands: assembled here, with everything worth telling the user. */
export function assemblePreview(s: AppState): Omit<PreviewSlice, 'status' | 'rendered' | 'rendering' | 'renderError' | 'needsModel'> {
  if (s.editor.tab === 'raw') {
    const text = s.editor.prompt;
    return {
      assembled: null,
      input: { mode: 'completion', text },
      error: null,
      missing: [],
      warnings: [],
      diagnostics: [],
      usedVariables: [],
    };
  }
  const { draft, values } = s.template;
  const diagnostics = lintTemplate(draft);
  const usedVariables = usedVariableNames(draft);
  let assembled: AssembledPrompt;
  try {
    assembled = assemble(draft, values, { missing: 'keep' });
  } catch (error) {
    const message = error instanceof PromptError ? error.message : errorMessage(error);
    return { assembled: null, input: null, error: message, missing: [], warnings: [], diagnostics, usedVariables };
  }
  const missing = assembled.meta.missing;
  return {
    assembled,
    input: missing.length ? null : toPromptInput(assembled),
    error: missing.length ? new MissingVariablesError(missing).message : null,
    missing,
    warnings: assembled.meta.warnings,
    diagnostics,
    usedVariables,
  };
}

export function createPreviewController(ctx: SliceContext, options: { delayMs?: number; timers?: Timers } = {}): PreviewController {
  const { api, get } = ctx;
  const delay = options.delayMs ?? PREVIEW_DELAY_MS;
  const timers = options.timers ?? defaultTimers;
  let timer: unknown = null;
  let sequence = 0;
  /** model + input of the render in flight or shown, so an unchanged prompt is not sent again */
  let renderedKey: string | null = null;
  let disposed = false;

  const refresh = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
    if (disposed) return;
    const state = get();
    const local = assemblePreview(state);
    const model = selectedModel(state);
    const input: PromptInput | null = local.input;
    if (!input || !model) {
      renderedKey = null;
      sequence++;
      patch(ctx, 'preview', { ...local, status: 'ready', rendered: null, rendering: false, renderError: null, needsModel: false });
      return;
    }
    if (model.state !== 'loaded') {
      renderedKey = null;
      sequence++;
      patch(ctx, 'preview', { ...local, status: 'ready', rendered: null, rendering: false, renderError: null, needsModel: true });
      return;
    }
    const key = `${model.id}\u0000${JSON.stringify(input)}`;
    if (key === renderedKey) {
      patch(ctx, 'preview', { ...local, status: 'ready', needsModel: false });
      return;
    }
    renderedKey = key;
    const mine = ++sequence;
    // The previous exact render stays on screen (marked as updating) until the new one arrives.
    patch(ctx, 'preview', { ...local, status: 'ready', rendering: true, needsModel: false });
    api.renderPrompt({ modelId: model.id, input }).then(
      (rendered) => {
        if (mine !== sequence || disposed) return;
        patch(ctx, 'preview', { rendered, rendering: false, renderError: null });
      },
      (error: unknown) => {
        if (mine !== sequence || disposed) return;
        renderedKey = null;
        patch(ctx, 'preview', { rendered: null, rendering: false, renderError: errorMessage(error) });
      },
    );
  };

  return {
    watch(state, previous) {
      if (disposed || !inputsChanged(state, previous)) return;
      if (timer !== null) timers.clear(timer);
      timer = timers.set(refresh, delay);
      if (state.preview.status !== 'pending') patch(ctx, 'preview', { status: 'pending' });
    },
    refresh,
    dispose() {
      disposed = true;
      if (timer !== null) timers.clear(timer);
      timer = null;
    },
  };
}
