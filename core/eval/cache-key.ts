// Cache keys for evaluation runs.
//
// A generation (the model's output for one case of one variant) is determined by: the prompt as
// assembled (the template version with the case's variables filled in, after shots, CoT, chat
// formatting choices), the model file's content (its SHA-256, not its path: a moved file is the
// same model, a re-quantised file with the same name is not), the sampling settings with the seed,
// any output constraint, and which repeat it is. Nothing else goes in: checks, extraction rules and
// thresholds are applied afterwards, so changing one re-grades stored outputs and regenerates none.
// The grading key adds those on top of the generation key.
import type { Constraint, PromptInput, Sampling } from '../api/contract.js';
import { sha256Hex } from '../prompt/hash.js';
import type { ExtractionRule } from '../prompt/extract.js';
import type { Check } from './checks/schema.js';

/** Bump when the meaning of a stored generation changes (e.g. what the runner records). */
const GENERATION_VERSION = 1;
const GRADING_VERSION = 1;

export interface GenerationInputs {
  prompt: PromptInput;
  modelSha256: string;
  /** the resolved settings (preset and overrides applied), seed included */
  sampling: Sampling | Record<string, unknown>;
  constraint?: Constraint;
  /** 0-based repeat index: repeats with the same seed are still distinct runs */
  repeat: number;
}

/**
 * JSON with object keys sorted, so two objects that mean the same hash the same whatever order
 * their keys were written in. Undefined fields are left out (as JSON.stringify does), so an unset
 * optional setting and a missing one are the same; non-finite numbers are refused, since JSON would
 * silently turn them into null and merge distinct settings.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('cannot hash a non-finite number');
    return JSON.stringify(Object.is(value, -0) ? 0 : value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`cannot hash a ${typeof value}`);
}

/** The key of one generation: equal inputs, equal key; any difference that can change the output, a different key. */
export function generationKey(inputs: GenerationInputs): string {
  if (!/^[0-9a-f]{64}$/.test(inputs.modelSha256)) throw new RangeError('modelSha256 must be 64 lowercase hex digits');
  if (!Number.isInteger(inputs.repeat) || inputs.repeat < 0) throw new RangeError('repeat must be a whole number >= 0');
  return sha256Hex(
    canonicalJson({
      v: GENERATION_VERSION,
      prompt: inputs.prompt,
      model: inputs.modelSha256,
      sampling: inputs.sampling,
      constraint: inputs.constraint ?? null,
      repeat: inputs.repeat,
    }),
  );
}

/** The key of a grade: a stored generation graded by these checks with this extraction rule and threshold. */
export function gradingKey(generation: string, grading: { checks: readonly Check[]; extraction?: ExtractionRule | null; threshold?: number }): string {
  return sha256Hex(canonicalJson({ v: GRADING_VERSION, generation, checks: grading.checks, extraction: grading.extraction ?? null, threshold: grading.threshold ?? null }));
}
