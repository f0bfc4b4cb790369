// Everything a run needs from a template, in one call, so the run panel and the CLI send exactly
// what the preview shows: the prompt (assembled), the full sampling settings (preset and
// overrides resolved), the output constraint, the answer-extraction rule and the template hash
// for the reproducibility record.
import type { Constraint, PromptInput, Sampling } from '../api/contract.js';
import { assemble, MissingVariablesError, PromptError, toPromptInput, type AssembledPrompt } from './assemble.js';
import type { ExtractionRule } from './extract.js';
import { resolveSampling, type SamplingOverrides, type SamplingPreset } from '../sampling/presets.js';
import { hashTemplate, type Template } from './template.js';
import type { VariableValues } from './variables.js';

export interface RunPlan {
  prompt: AssembledPrompt;
  /** for startCompletion's `input` */
  input: PromptInput;
  sampling: Sampling;
  /** the preset the sampling started from, if any */
  preset: string | null;
  constraint?: Constraint;
  extraction: ExtractionRule;
  /** for startCompletion's `templateHash` */
  templateHash: string;
}

export type PrepareResult =
  | { ok: true; plan: RunPlan }
  | { ok: false; error: string; /** set when variables are missing: every one of them */ missing?: readonly string[] };

export function prepareRun(
  template: Template,
  values: VariableValues = {},
  options: { userPresets?: readonly SamplingPreset[]; samplingOverrides?: SamplingOverrides } = {},
): PrepareResult {
  let prompt: AssembledPrompt;
  try {
    prompt = assemble(template, values);
  } catch (error) {
    if (error instanceof MissingVariablesError) return { ok: false, error: error.message, missing: error.missing };
    if (error instanceof PromptError) return { ok: false, error: error.message };
    throw error;
  }
  const sampling = resolveSampling(template.sampling, { userPresets: options.userPresets, overrides: options.samplingOverrides });
  if (!sampling.ok) return { ok: false, error: sampling.error };
  const plan: RunPlan = {
    prompt,
    input: toPromptInput(prompt),
    sampling: sampling.sampling,
    preset: sampling.preset,
    extraction: template.extraction,
    templateHash: hashTemplate(template),
  };
  if (template.constraint) plan.constraint = template.constraint;
  return { ok: true, plan };
}
