// Named sampling presets: the built-in ones (known here too, so the menu works before the backend
// answers) and the user's, saved in the data folder.
import { BUILTIN_PRESETS, findPreset } from '../../../core/prompt/index';
import { errorMessage, patch, type SliceContext } from './context';
import { applyPreset, samplerOverrides } from './sampling';
import { markEdited } from './template-slice';
import type { Actions, PresetsSlice } from './types';

export const initialPresets: PresetsSlice = {
  builtIn: [...BUILTIN_PRESETS],
  user: [],
  error: null,
};

type PresetActions = Pick<Actions, 'loadPresets' | 'applyPreset' | 'saveUserPreset' | 'deleteUserPreset'>;

export function createPresetActions(ctx: SliceContext): PresetActions {
  const { api, get } = ctx;
  return {
    async loadPresets() {
      try {
        const { builtIn, user } = await api.listPresets({});
        patch(ctx, 'presets', { builtIn, user, error: null });
      } catch (error) {
        patch(ctx, 'presets', { error: errorMessage(error) });
      }
    },
    applyPreset(name) {
      const preset = findPreset(name, get().presets.user);
      if (!preset) return;
      patch(ctx, 'editor', (editor) => ({ sampling: applyPreset(editor.sampling, preset), preset: preset.name }));
      markEdited(ctx);
    },
    async saveUserPreset(name, description = '') {
      const trimmed = name.trim();
      if (!trimmed) {
        patch(ctx, 'presets', { error: 'Give the preset a name.' });
        return false;
      }
      try {
        const user = await api.savePreset({ name: trimmed, description, sampling: samplerOverrides(get().editor.sampling) });
        patch(ctx, 'presets', { user, error: null });
        const saved = findPreset(trimmed, user);
        if (saved) patch(ctx, 'editor', { preset: saved.name });
        return true;
      } catch (error) {
        patch(ctx, 'presets', { error: errorMessage(error) });
        return false;
      }
    },
    async deleteUserPreset(name) {
      try {
        const user = await api.deletePreset({ name });
        patch(ctx, 'presets', { user, error: null });
        if (get().editor.preset === name) patch(ctx, 'editor', { preset: null });
      } catch (error) {
        patch(ctx, 'presets', { error: errorMessage(error) });
      }
    },
  };
}
