// Every sampler setting: its schema, limits and defaults, and the output constraints (JSON schema,
// GBNF grammar). The contract, templates, presets, the UI, the CLI and the host all take them from
// here.
import { z } from 'zod';
import { boundedNumber, wholeNumber } from '../schema/numbers.js';

export const SAMPLING_LIMITS = {
  temperature: { min: 0, max: 2 },
  topK: { min: 0, max: 1000 },
  topP: { min: 0, max: 1 },
  minP: { min: 0, max: 1 },
  maxTokens: { min: 1, max: 32768 },
  repeatPenalty: { min: 1, max: 2 },
  presencePenalty: { min: -2, max: 2 },
  frequencyPenalty: { min: -2, max: 2 },
  penaltyLastN: { min: 0, max: 8192 },
  topProbabilities: { min: 0, max: 20 },
} as const;

const number = boundedNumber;
const whole = wholeNumber;
const L = SAMPLING_LIMITS;

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
export const SamplingFieldsSchema = z.strictObject({
  /** 0 = greedy */
  temperature: number(L.temperature.min, L.temperature.max).default(0.8),
  /** 0 = off */
  topK: whole(L.topK.min, L.topK.max).default(40),
  topP: number(L.topP.min, L.topP.max).default(0.95),
  minP: number(L.minP.min, L.minP.max).default(0.05),
  /** absent: a seed is drawn and recorded, so every run can be reproduced */
  seed: whole(0, 0xffffffff).optional(),
  maxTokens: whole(L.maxTokens.min, L.maxTokens.max).default(256),
  stop: z.array(z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).max(16, 'at most 16 stop strings').default([]),
  /** 1 = off; divides the logits of recently seen tokens */
  repeatPenalty: number(L.repeatPenalty.min, L.repeatPenalty.max).default(1),
  presencePenalty: number(L.presencePenalty.min, L.presencePenalty.max).default(0),
  frequencyPenalty: number(L.frequencyPenalty.min, L.frequencyPenalty.max).default(0),
  /** how many recent tokens the penalties look at */
  penaltyLastN: whole(L.penaltyLastN.min, L.penaltyLastN.max).default(64),
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

