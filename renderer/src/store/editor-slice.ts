// What the centre column edits (the template, or the raw prompt) and the run's settings.
import { DEFAULT_SAMPLING, type Sampling } from '../../../core/api/contract';
import { patch, type SliceContext } from './context';
import { clamp, sanitizeSampling } from './sampling';
import { markEdited } from './template-slice';
import type { Actions, EditorSlice } from './types';

export const DEFAULT_PROMPT = 'Q: This movie sucks!\nA:';
export const DEFAULT_TOP_PROBABILITIES = 5;

export const initialEditor: EditorSlice = {
  tab: 'template',
  prompt: DEFAULT_PROMPT,
  sampling: { ...DEFAULT_SAMPLING, stop: [...DEFAULT_SAMPLING.stop] },
  preset: null,
  topProbabilities: DEFAULT_TOP_PROBABILITIES,
};

type EditorActions = Pick<Actions, 'setTab' | 'setPrompt' | 'updateSampling' | 'resetSampling' | 'setTopProbabilities'>;

export function createEditorActions(ctx: SliceContext): EditorActions {
  return {
    setTab(tab) {
      if (ctx.get().editor.tab !== tab) patch(ctx, 'editor', { tab });
    },
    setPrompt(prompt) {
      if (ctx.get().editor.prompt !== prompt) patch(ctx, 'editor', { prompt });
    },
    updateSampling(changes) {
      // Fields absent from `changes` stay; an explicit `seed: undefined` clears the seed.
      patch(ctx, 'editor', (editor) => ({ sampling: sanitizeSampling({ ...editor.sampling, ...changes }) }));
      // The settings are saved with the template.
      markEdited(ctx);
    },
    resetSampling(keys) {
      patch(ctx, 'editor', (editor) => {
        if (!keys) return { sampling: { ...DEFAULT_SAMPLING, stop: [] }, preset: null };
        const next: Record<string, unknown> = { ...editor.sampling };
        const defaults = DEFAULT_SAMPLING as unknown as Record<string, unknown>;
        for (const key of keys) {
          if (defaults[key] === undefined) delete next[key];
          else next[key] = defaults[key];
        }
        return { sampling: sanitizeSampling(next as unknown as Sampling) };
      });
      markEdited(ctx);
    },
    setTopProbabilities(n) {
      const value = Math.round(clamp(Number.isFinite(n) ? n : DEFAULT_TOP_PROBABILITIES, 0, 20));
      patch(ctx, 'editor', { topProbabilities: value });
    },
  };
}
