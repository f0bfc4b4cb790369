// What Run sends: the raw prompt, or the template prepared by the same prepareRun() the preview's
// assembly comes from (prompt, resolved settings, constraint, template hash).
import type { ApiInput, PromptInput } from '../../../core/api/contract';
import { prepareRun, type ExtractionRule } from '../../../core/prompt/index';
import { sanitizeSampling } from './sampling';
import { templateForSave } from './template-slice';
import type { AppState } from './types';

export type StartRequest = ApiInput<'startCompletion'>;

export type BuiltRun =
  | { ok: true; request: StartRequest; prompt: string; extraction: ExtractionRule | null }
  | { ok: false; error: string };

/** The prompt as text for the dimmed echo before the output (chat: the exact render when the preview has it). */
export function promptText(input: PromptInput, state: AppState): string {
  if (input.mode === 'completion') return input.text;
  const { preview } = state;
  if (preview.rendered && preview.input && JSON.stringify(preview.input) === JSON.stringify(input)) return preview.rendered.text;
  return input.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
}

export function buildRunRequest(state: AppState, modelId: string): BuiltRun {
  const { editor } = state;
  if (editor.tab === 'raw') {
    return {
      ok: true,
      request: { modelId, prompt: editor.prompt, sampling: sanitizeSampling(editor.sampling), topProbabilities: editor.topProbabilities },
      prompt: editor.prompt,
      extraction: null,
    };
  }
  const template = templateForSave(state);
  const prepared = prepareRun(template, state.template.values, {
    userPresets: state.presets.user,
    samplingOverrides: editor.sampling,
  });
  if (!prepared.ok) {
    const hint = prepared.missing?.length ? ': give it a value under Variables' : '';
    return { ok: false, error: `Cannot run the template: ${prepared.error}${hint}.` };
  }
  const { plan } = prepared;
  const { saved, dirty } = state.template;
  const request: StartRequest = {
    modelId,
    input: plan.input,
    sampling: sanitizeSampling(plan.sampling),
    topProbabilities: editor.topProbabilities,
    templateHash: plan.templateHash,
  };
  if (plan.constraint) request.constraint = plan.constraint;
  if (saved) {
    request.templateId = saved.id;
    // A version names saved content only: edits since make it a different template (the hash says which).
    if (!dirty) request.templateVersion = saved.version;
  }
  return { ok: true, request, prompt: promptText(plan.input, state), extraction: plan.extraction };
}
