// Sampling presets, and how a template's sampling turns into the settings of a run.
//
// A template (and a preset) stores sampling as a *partial* set of the contract's sampler fields
// (SamplingFieldsSchema: temperature, topK, topP, minP, seed, maxTokens, stop, repeatPenalty, …):
// only what it means to set, each field checked with the contract's own limits and messages. New
// fields added to the contract are accepted here without a change. (A nested sampler a template
// sets, like `dry: { strength: 1 }`, gets its own defaults filled in when read: it is then complete
// and written out in full.)
//
// Resolution, later layers win field by field (objects like `dry` are replaced whole):
//   DEFAULT_SAMPLING  <-  the preset named by sampling.preset  <-  the template's own values
//   <-  the run's overrides (what the user changed in the run panel)
// and the result is checked with the full SamplingSchema (which adds the checks between fields).
import { z } from 'zod';
import { DEFAULT_SAMPLING, SamplingFieldsSchema, SamplingSchema, type Sampling } from '../api/contract.js';
import { formatIssues } from '../prompt/issues.js';

export type SamplingFields = z.output<typeof SamplingFieldsSchema>;
/** Some sampler fields; anything absent comes from the layer below. */
export type SamplingOverrides = Partial<SamplingFields>;
/** What a template stores: a preset by name and/or its own values. */
export type TemplateSampling = SamplingOverrides & { preset?: string };

// Each field optional and without its default (`.partial()` would fill the defaults in, and a
// partial must say only what was set).
const overrideShape = Object.fromEntries(
  Object.entries(SamplingFieldsSchema.shape).map(([key, field]) => {
    const inner: z.ZodType = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
    return [key, inner.optional()];
  }),
);

export const PRESET_NAME_MAX = 60;
const presetName = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
  .trim()
  .min(1, 'must not be empty')
  .max(PRESET_NAME_MAX, `must be at most ${PRESET_NAME_MAX} characters`);

export const SamplingOverridesSchema = z.strictObject(overrideShape, {
  error: 'must be a mapping of sampler settings',
}) as unknown as z.ZodType<SamplingOverrides>;

export const TemplateSamplingSchema = z.strictObject(
  { preset: presetName.optional(), ...overrideShape },
  { error: 'must be a mapping of sampler settings' },
) as unknown as z.ZodType<TemplateSampling>;

/** The order sampler fields are written in (the contract's order). */
export const SAMPLING_KEY_ORDER: readonly string[] = Object.keys(SamplingFieldsSchema.shape);

export interface SamplingPreset {
  name: string;
  description: string;
  sampling: SamplingOverrides;
}

export const BUILTIN_PRESETS: readonly SamplingPreset[] = Object.freeze([
  {
    name: 'Deterministic',
    description: 'Greedy: always the most likely token. The same prompt gives the same output, whatever the seed.',
    sampling: { temperature: 0 },
  },
  {
    name: 'Balanced',
    description: 'Mostly the likely tokens with a little variety. A good default for instructions and chat.',
    sampling: { temperature: 0.7, topK: 40, topP: 0.95, minP: 0.05 },
  },
  {
    name: 'Creative',
    description: 'Hotter and wider, with a light repeat penalty. For brainstorming, stories and style.',
    sampling: { temperature: 1.1, topK: 0, topP: 1, minP: 0.05, repeatPenalty: 1.05 },
  },
]);

export const UserPresetSchema = z.strictObject(
  {
    name: presetName,
    description: z.string({ error: 'must be text' }).max(500, 'must be at most 500 characters').default(''),
    sampling: SamplingOverridesSchema,
  },
  { error: 'must be a mapping with name and sampling' },
);

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Validate the user's saved presets: each valid, names unique and not a built-in's (any case). */
export function parseUserPresets(raw: unknown): { ok: true; presets: SamplingPreset[] } | { ok: false; error: string } {
  const result = z.array(UserPresetSchema, { error: 'must be a list' }).safeParse(raw ?? []);
  if (!result.success) return { ok: false, error: formatIssues(result.error.issues, 'presets', ['presets']) };
  const presets = result.data;
  for (const [i, preset] of presets.entries()) {
    if (BUILTIN_PRESETS.some((b) => sameName(b.name, preset.name))) {
      return { ok: false, error: `presets.${i}.name "${preset.name}" is the name of a built-in preset` };
    }
    const first = presets.findIndex((p) => sameName(p.name, preset.name));
    if (first !== i) return { ok: false, error: `presets.${i}.name "${preset.name}" is already used by presets.${first}` };
  }
  return { ok: true, presets };
}

/** A preset by name: exact match first, then ignoring case; built-ins before the user's. */
export function findPreset(name: string, userPresets: readonly SamplingPreset[] = []): SamplingPreset | undefined {
  const all = [...BUILTIN_PRESETS, ...userPresets];
  return all.find((p) => p.name === name) ?? all.find((p) => sameName(p.name, name));
}

export type ResolvedSampling = { ok: true; sampling: Sampling; preset: string | null } | { ok: false; error: string };

/** The full settings for a run (see the top of this file for the layers). */
export function resolveSampling(
  templateSampling: TemplateSampling | undefined,
  options: { userPresets?: readonly SamplingPreset[]; overrides?: SamplingOverrides } = {},
): ResolvedSampling {
  const { preset: presetRef, ...own } = templateSampling ?? {};
  let preset: SamplingPreset | undefined;
  if (presetRef !== undefined) {
    preset = findPreset(presetRef, options.userPresets);
    if (!preset) return { ok: false, error: `sampling.preset "${presetRef}" is not a built-in or saved preset` };
  }
  const merged = { ...DEFAULT_SAMPLING, ...preset?.sampling, ...own, ...options.overrides };
  const result = SamplingSchema.safeParse(merged);
  if (!result.success) return { ok: false, error: formatIssues(result.error.issues, 'sampling', ['sampling']) };
  return { ok: true, sampling: result.data, preset: preset?.name ?? null };
}

/**
 * The preset whose settings these are exactly, seed aside (for "Balanced" vs "Balanced, modified"
 * in the UI).
 */
export function matchingPreset(sampling: Sampling, userPresets: readonly SamplingPreset[] = []): string | null {
  for (const preset of [...BUILTIN_PRESETS, ...userPresets]) {
    const resolved = SamplingSchema.safeParse({ ...DEFAULT_SAMPLING, ...preset.sampling, seed: sampling.seed });
    if (resolved.success && stableJson(resolved.data) === stableJson(sampling)) return preset.name;
  }
  return null;
}

/** JSON with object keys sorted at every level (arrays keep their order). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
