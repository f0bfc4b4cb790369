// Sampling values as the UI edits them: limits, clamping and parsing of what the user types, so
// that whatever reaches startCompletion is always valid for the contract.
import { DEFAULT_SAMPLING, SAMPLING_LIMITS, type Sampling } from '../../../electron/api/contract';

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

export const FIELD_SPECS = {
  temperature: { min: UI_LIMITS.temperature.min, max: UI_LIMITS.temperature.max, integer: false },
  maxTokens: { min: UI_LIMITS.maxTokens.min, max: UI_LIMITS.maxTokens.max, integer: true },
  seed: { min: UI_LIMITS.seed.min, max: UI_LIMITS.seed.max, integer: true, optional: true },
} as const satisfies Record<string, FieldSpec>;

const finiteOr = (value: number, fallback: number) => (Number.isFinite(value) ? value : fallback);

/** Last line of defence before a request: every field within the contract's limits. */
export function sanitizeSampling(sampling: Sampling): Sampling {
  const L = SAMPLING_LIMITS;
  const D = DEFAULT_SAMPLING;
  const out: Sampling = {
    // Samplers without a control here yet pass through; the backend validates every field.
    ...D,
    ...sampling,
    temperature: clamp(finiteOr(sampling.temperature, D.temperature), L.temperature.min, L.temperature.max),
    topK: Math.round(clamp(finiteOr(sampling.topK, D.topK), L.topK.min, L.topK.max)),
    topP: clamp(finiteOr(sampling.topP, D.topP), L.topP.min, L.topP.max),
    minP: clamp(finiteOr(sampling.minP, D.minP), L.minP.min, L.minP.max),
    maxTokens: Math.round(clamp(finiteOr(sampling.maxTokens, D.maxTokens), UI_LIMITS.maxTokens.min, UI_LIMITS.maxTokens.max)),
    stop: sampling.stop.filter((s) => s.length > 0 && s.length <= 200).slice(0, 16),
  };
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
