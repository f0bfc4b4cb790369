// The prompt and the sampling settings being edited.
import { patch, type SliceContext } from './context';
import { DEFAULT_SAMPLING, sanitizeSampling } from './sampling';
import type { Actions, EditorSlice } from './types';

export const DEFAULT_PROMPT = 'Q: This movie sucks!\nA:';

export const initialEditor: EditorSlice = {
  prompt: DEFAULT_PROMPT,
  sampling: { ...DEFAULT_SAMPLING, stop: [...DEFAULT_SAMPLING.stop] },
};

export function createEditorActions(ctx: SliceContext): Pick<Actions, 'setPrompt' | 'updateSampling'> {
  return {
    setPrompt(prompt) {
      if (ctx.get().editor.prompt !== prompt) patch(ctx, 'editor', { prompt });
    },
    updateSampling(changes) {
      // Fields absent from `changes` stay; an explicit `seed: undefined` clears the seed.
      patch(ctx, 'editor', (editor) => ({ sampling: sanitizeSampling({ ...editor.sampling, ...changes }) }));
    },
  };
}
