// Every sampler setting: its schema, limits and defaults, and the output constraints (JSON schema,
// GBNF grammar). The contract, templates, presets, the UI, the CLI and the host all take them from
// here.
import { z } from 'zod';
import { boundedNumber, wholeNumber } from '../schema/numbers.js';
import { NUMERIC_SAMPLER_KEYS, NUMERIC_SAMPLERS, type NumericSampler, type NumericSamplerKey } from './catalog.js';

export * from './catalog.js';

/** Each numeric sampler's accepted range (from the catalog), and how many alternatives a run may report. */
export const SAMPLING_LIMITS = {
  ...(Object.fromEntries(NUMERIC_SAMPLER_KEYS.map((key) => [key, { min: NUMERIC_SAMPLERS[key].min, max: NUMERIC_SAMPLERS[key].max }])) as {
    [K in NumericSamplerKey]: { min: (typeof NUMERIC_SAMPLERS)[K]['min']; max: (typeof NUMERIC_SAMPLERS)[K]['max'] };
  }),
  topProbabilities: { min: 0, max: 20 },
} as const;

const number = boundedNumber;
const whole = wholeNumber;

/** Token ids are 32-bit in llama.cpp: a larger number would wrap to another token. */
export const MAX_TOKEN_ID = 0x7fffffff;

/** A bias on one token (by id) or on every token of a text; 'never' forbids it. */
export const TokenBiasSchema = z.strictObject({
  token: z.union([
    z.int().min(0, 'must be a token id (0 or more)').max(MAX_TOKEN_ID, `must be a token id (at most ${MAX_TOKEN_ID})`),
    z.string().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
  ]),
  bias: z.union([number(-100, 100), z.literal('never')]),
});
export type TokenBiasEntry = z.infer<typeof TokenBiasSchema>;

/**
 * Every sampler node-llama-cpp offers, as plain data. The fields without refinements, so other
 * schemas (templates, presets) can take `.partial()` of them; SamplingSchema adds the checks
 * between fields.
 */
type NumericField = ReturnType<typeof boundedNumber> | ReturnType<typeof wholeNumber>;
type GroupKeys<G extends NumericSampler['group']> = {
  [K in NumericSamplerKey]: (typeof NUMERIC_SAMPLERS)[K]['group'] extends G ? K : never;
}[NumericSamplerKey];

/** The schema fields of one group of numeric samplers, each with its range and default from the catalog. */
function numericFields<G extends NumericSampler['group']>(group: G): { [K in GroupKeys<G>]: z.ZodDefault<NumericField> } {
  const keys = NUMERIC_SAMPLER_KEYS.filter((key) => NUMERIC_SAMPLERS[key].group === group);
  return Object.fromEntries(
    keys.map((key) => {
      const s: NumericSampler = NUMERIC_SAMPLERS[key];
      return [key, (s.integer ? whole : number)(s.min, s.max).default(s.default)];
    }),
  ) as { [K in GroupKeys<G>]: z.ZodDefault<NumericField> };
}

export const SamplingFieldsSchema = z.strictObject({
  /** temperature (0 = greedy), top-k (0 = off), top-p, min-p */
  ...numericFields('sampling'),
  /** absent: a seed is drawn and recorded, so every run can be reproduced */
  seed: whole(0, 0xffffffff).optional(),
  ...numericFields('length'),
  stop: z.array(z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).max(16, 'at most 16 stop strings').default([]),
  /** repeat (1 = off; divides the logits of recently seen tokens), presence, frequency, and the window they look at */
  ...numericFields('penalties'),
  /** Exclude Top Choices */
  xtc: z
    .strictObject({ probability: number(0, 1), threshold: number(0, 0.5) })
    .optional(),
  /** Don't Repeat Yourself */
  dry: z
    .strictObject({
      strength: number(0, 5),
      base: number(1, 4).default(1.75),
      allowedLength: whole(1, 64).default(2),
      lastTokens: whole(0, 8192).default(1024),
      sequenceBreakers: z.array(z.string().min(1).max(20)).max(16).default(['\n', ':', '"', '*']),
    })
    .optional(),
  tokenBias: z.array(TokenBiasSchema).max(256, 'at most 256 biased tokens').default([]),
  /** drop trailing whitespace from the finished text */
  trimWhitespace: z.boolean().default(false),
});

export const SamplingSchema = SamplingFieldsSchema.superRefine((s, ctx) => {
  const penalised = s.repeatPenalty !== 1 || s.presencePenalty !== 0 || s.frequencyPenalty !== 0;
  if (penalised && s.penaltyLastN === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['penaltyLastN'],
      message: 'is 0, so the repeat/presence/frequency penalties would look at no tokens; set a window or remove the penalties',
    });
  }
  const seen = new Set<string>();
  s.tokenBias.forEach((entry, i) => {
    const key = String(entry.token);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['tokenBias', i, 'token'], message: `biases ${key} twice` });
    seen.add(key);
  });
  if (new Set(s.stop).size !== s.stop.length) {
    ctx.addIssue({ code: 'custom', path: ['stop'], message: 'has the same stop string twice' });
  }
});
export type Sampling = z.output<typeof SamplingSchema>;
export type SamplingInput = z.input<typeof SamplingSchema>;
export const DEFAULT_SAMPLING: Sampling = SamplingSchema.parse({});

/** Output constrained to a JSON schema or a GBNF grammar. */
export const ConstraintSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('json-schema'), schema: z.record(z.string(), z.unknown()) }),
  z.strictObject({ type: z.literal('grammar'), gbnf: z.string().min(1).max(200_000) }),
]);
export type Constraint = z.infer<typeof ConstraintSchema>;

