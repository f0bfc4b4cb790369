// Sampling values as the UI edits them: limits, clamping and parsing of what the user types, so
// that whatever reaches startCompletion is always valid for the contract.
import { DEFAULT_SAMPLING, NUMERIC_SAMPLER_KEYS, NUMERIC_SAMPLERS, SAMPLING_LIMITS, type NumericSamplerKey, type Sampling } from '../../../core/api/contract';
import { findPreset, resolveSampling, SAMPLING_KEY_ORDER, stableJson, type SamplingPreset, type TemplateSampling } from '../../../core/prompt/index';

export { DEFAULT_SAMPLING, SAMPLING_LIMITS };

export const SEED_MAX = 0xffffffff;

/** The UI offers a narrower max-tokens range than the contract allows: a first screen, not a batch tool. */
export const UI_LIMITS = {
  temperature: { min: SAMPLING_LIMITS.temperature.min, max: SAMPLING_LIMITS.temperature.max, step: 0.05 },
  maxTokens: { min: SAMPLING_LIMITS.maxTokens.min, max: Math.min(4096, SAMPLING_LIMITS.maxTokens.max), step: 1 },
  seed: { min: 0, max: SEED_MAX, step: 1 },
} as const;

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** Round to the slider's step so 0.1 + 0.05 shows as 0.15, not 0.15000000000000002. */
export const roundToStep = (value: number, step: number): number => {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)));
  return Number((Math.round(value / step) * step).toFixed(decimals));
};

export type FieldParse =
  | { ok: true; value: number | undefined; note?: string }
  | { ok: false; message: string };

interface FieldSpec {
  min: number;
  max: number;
  integer: boolean;
  /** empty input means "unset" (e.g. a random seed) instead of an error */
  optional?: boolean;
}

/**
 * Parse what the user typed into a number field. Out-of-range values are clamped (with a note
 * saying so); text that is not a number is rejected with a message and never committed.
 */
export function parseField(raw: string, spec: FieldSpec): FieldParse {
  const text = raw.trim();
  if (text === '') return spec.optional ? { ok: true, value: undefined } : { ok: false, message: 'required' };
  const parsed = Number(text);
  if (!Number.isFinite(parsed)) return { ok: false, message: 'not a number' };
  let value = spec.integer ? Math.round(parsed) : parsed;
  let note: string | undefined;
  if (spec.integer && value !== parsed) note = `rounded to ${value}`;
  const clamped = clamp(value, spec.min, spec.max);
  if (clamped !== value) note = `clamped to ${clamped} (range ${spec.min}–${spec.max})`;
  value = clamped;
  return note ? { ok: true, value, note } : { ok: true, value };
}

/** A number field's range: the catalog's for every numeric sampler (max tokens narrowed to the UI's). */
const numericSpecs = Object.fromEntries(
  NUMERIC_SAMPLER_KEYS.map((key) => [key, { min: NUMERIC_SAMPLERS[key].min, max: NUMERIC_SAMPLERS[key].max, integer: NUMERIC_SAMPLERS[key].integer }]),
) as Record<NumericSamplerKey, FieldSpec>;

export const FIELD_SPECS = {
  ...numericSpecs,
  maxTokens: { min: UI_LIMITS.maxTokens.min, max: UI_LIMITS.maxTokens.max, integer: true },
  seed: { min: UI_LIMITS.seed.min, max: UI_LIMITS.seed.max, integer: true, optional: true },
  xtcProbability: { min: 0, max: 1, integer: false },
  xtcThreshold: { min: 0, max: 0.5, integer: false },
  dryStrength: { min: 0, max: 5, integer: false },
  dryBase: { min: 1, max: 4, integer: false },
  dryAllowedLength: { min: 1, max: 64, integer: true },
  dryLastTokens: { min: 0, max: 8192, integer: true },
  bias: { min: -100, max: 100, integer: false },
  topProbabilities: { min: SAMPLING_LIMITS.topProbabilities.min, max: SAMPLING_LIMITS.topProbabilities.max, integer: true },
} as const satisfies Record<string, FieldSpec>;

const finiteOr = (value: number, fallback: number) => (Number.isFinite(value) ? value : fallback);

/** Last line of defence before a request: every field within the contract's limits. */
export function sanitizeSampling(sampling: Sampling): Sampling {
  const D = DEFAULT_SAMPLING;
  const out: Sampling = {
    // Samplers without a control here yet pass through; the backend validates every field.
    ...D,
    ...sampling,
  };
  for (const key of NUMERIC_SAMPLER_KEYS) {
    const spec = FIELD_SPECS[key];
    const value = clamp(finiteOr(sampling[key], D[key]), spec.min, spec.max);
    out[key] = spec.integer ? Math.round(value) : value;
  }
  out.stop = [...new Set(sampling.stop.filter((s) => s.length > 0 && s.length <= 200))].slice(0, 16);
  if (out.xtc === undefined) delete out.xtc;
  if (out.dry === undefined) delete out.dry;
  if (sampling.seed !== undefined && Number.isFinite(sampling.seed)) {
    out.seed = Math.round(clamp(sampling.seed, 0, SEED_MAX));
  } else {
    delete out.seed;
  }
  return out;
}

// The max-tokens slider is logarithmic: 1..4096 on a linear track would make 1..64 unreachable.
const SLIDER_STEPS = 1000;
const LOG_MAX = Math.log(UI_LIMITS.maxTokens.max / UI_LIMITS.maxTokens.min);

export const MAX_TOKENS_SLIDER_STEPS = SLIDER_STEPS;

export function maxTokensToSlider(value: number): number {
  const v = clamp(value, UI_LIMITS.maxTokens.min, UI_LIMITS.maxTokens.max);
  return Math.round((Math.log(v / UI_LIMITS.maxTokens.min) / LOG_MAX) * SLIDER_STEPS);
}

export function sliderToMaxTokens(position: number): number {
  const p = clamp(position, 0, SLIDER_STEPS) / SLIDER_STEPS;
  const raw = UI_LIMITS.maxTokens.min * Math.exp(p * LOG_MAX);
  // Snap to round numbers where the scale is coarse, so the slider lands on 256, not 253.
  const snap = raw >= 1024 ? 64 : raw >= 256 ? 16 : raw >= 64 ? 4 : 1;
  return clamp(Math.round(raw / snap) * snap, UI_LIMITS.maxTokens.min, UI_LIMITS.maxTokens.max);
}

// ---------------------------------------------------------------- presets and templates
//
// A preset sets the *sampler* fields (how the next token is chosen). The task's own settings
// (max tokens, stop strings, seed, token bias, trimming) stay when a preset is applied.

export const SAMPLER_KEYS = [
  'temperature',
  'topK',
  'topP',
  'minP',
  'repeatPenalty',
  'presencePenalty',
  'frequencyPenalty',
  'penaltyLastN',
  'xtc',
  'dry',
] as const satisfies readonly (keyof Sampling)[];

type Loose = Record<string, unknown>;

/** The settings with a preset applied: sampler fields from the defaults, then the preset's. */
export function applyPreset(sampling: Sampling, preset: SamplingPreset): Sampling {
  const out: Loose = { ...sampling };
  const defaults = DEFAULT_SAMPLING as unknown as Loose;
  for (const key of SAMPLER_KEYS) {
    if (defaults[key] === undefined) delete out[key];
    else out[key] = defaults[key];
  }
  for (const [key, value] of Object.entries(preset.sampling)) if (value !== undefined) out[key] = value;
  return sanitizeSampling(out as unknown as Sampling);
}

let lastStatus: { args: [Sampling, string | null, readonly SamplingPreset[]]; result: ReturnType<typeof computePresetStatus> } | null = null;

/**
 * Whether the settings are the named preset's exactly ('match'), or were changed since
 * ('modified'). Remembers its last answer: components ask on every store change.
 */
export function presetStatus(
  sampling: Sampling,
  name: string | null,
  userPresets: readonly SamplingPreset[],
): ReturnType<typeof computePresetStatus> {
  const args = lastStatus?.args;
  if (args && args[0] === sampling && args[1] === name && args[2] === userPresets) return lastStatus!.result;
  const result = computePresetStatus(sampling, name, userPresets);
  lastStatus = { args: [sampling, name, userPresets], result };
  return result;
}

function computePresetStatus(
  sampling: Sampling,
  name: string | null,
  userPresets: readonly SamplingPreset[],
): { preset: SamplingPreset; status: 'match' | 'modified' } | null {
  const preset = name ? findPreset(name, userPresets) : undefined;
  if (!preset) return null;
  const expected = applyPreset(sampling, preset) as unknown as Loose;
  const actual = sampling as unknown as Loose;
  const keys = new Set<string>([...SAMPLER_KEYS, ...Object.keys(preset.sampling)]);
  const same = [...keys].every((key) => stableJson(expected[key]) === stableJson(actual[key]));
  return { preset, status: same ? 'match' : 'modified' };
}

/** The sampler fields that differ from the defaults (what a user preset saves). */
export function samplerOverrides(sampling: Sampling): Partial<Sampling> {
  const out: Loose = {};
  const actual = sampling as unknown as Loose;
  const defaults = DEFAULT_SAMPLING as unknown as Loose;
  for (const key of SAMPLER_KEYS) {
    if (actual[key] !== undefined && stableJson(actual[key]) !== stableJson(defaults[key])) out[key] = actual[key];
  }
  return out as Partial<Sampling>;
}

/**
 * What a template stores for these settings: the preset by name plus what differs from it, so
 * resolveSampling(result) gives the same settings back.
 */
export function samplingForTemplate(
  sampling: Sampling,
  presetName: string | null,
  userPresets: readonly SamplingPreset[],
): TemplateSampling {
  const preset = presetName ? findPreset(presetName, userPresets) : undefined;
  const resolved = preset ? resolveSampling({ preset: preset.name }, { userPresets }) : null;
  const actual = sampling as unknown as Loose;
  let base = (resolved?.ok ? resolved.sampling : DEFAULT_SAMPLING) as unknown as Loose;
  let usePreset = Boolean(preset && resolved?.ok);
  // A field the preset sets but these settings leave out (e.g. DRY switched off) cannot be said
  // as a difference: store the settings without the preset.
  if (usePreset && SAMPLING_KEY_ORDER.some((key) => actual[key] === undefined && base[key] !== undefined)) {
    usePreset = false;
    base = DEFAULT_SAMPLING as unknown as Loose;
  }
  const out: Loose = usePreset && preset ? { preset: preset.name } : {};
  for (const key of SAMPLING_KEY_ORDER) {
    if (actual[key] !== undefined && stableJson(actual[key]) !== stableJson(base[key])) out[key] = actual[key];
  }
  return out as TemplateSampling;
}

/** The run settings a template's sampling stands for (defaults when it names an unknown preset). */
export function samplingFromTemplate(
  templateSampling: TemplateSampling | undefined,
  userPresets: readonly SamplingPreset[],
): { sampling: Sampling; preset: string | null; error: string | null } {
  const resolved = resolveSampling(templateSampling, { userPresets });
  if (resolved.ok) return { sampling: sanitizeSampling(resolved.sampling), preset: resolved.preset, error: null };
  // e.g. a user preset this machine does not have: keep the template's own values.
  const { preset: _preset, ...own } = templateSampling ?? {};
  const fallback = resolveSampling(own, { userPresets });
  return {
    sampling: sanitizeSampling(fallback.ok ? fallback.sampling : DEFAULT_SAMPLING),
    preset: null,
    error: resolved.error,
  };
}

/** Stop strings as the user types them: \n, \t and \\ are escapes (a newline is hard to type). */
export function parseEscapes(text: string): string {
  return text.replace(/\\(n|t|r|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'));
}

export function showEscapes(text: string): string {
  return text.replace(/[\\\n\t\r]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : '\\\\'));
}
