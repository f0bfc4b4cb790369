// A/B comparisons: variants run side by side, with repeats, a verdict and saved results.
import { z } from 'zod';
import { ExtractionRuleSchema } from '../prompt/extract.js';
import { wholeNumber as whole } from '../schema/numbers.js';
import { ConstraintSchema, DEFAULT_SAMPLING, MAX_TOKEN_ID, SAMPLING_LIMITS as L, SamplingSchema } from '../sampling/sampling.js';
import { Id, type MethodTable } from './common.js';
import { ApiErrorSchema } from './errors.js';
import type { CompareMethod } from './methods.js';
import { PromptInputSchema } from './prompts.js';
import { CompletionResultSchema } from './runs.js';
import { MAX_COMPARISON_REPEATS, MAX_COMPARISON_VARIANTS, MIN_COMPARISON_VARIANTS } from '../compare/limits.js';

export const ComparisonVariantSchema = z.strictObject({
  /** stable within the comparison (e.g. 'a', 'b') */
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ and -'),
  label: z.string().min(1).max(100),
  modelId: Id,
  input: PromptInputSchema,
  sampling: SamplingSchema.default(DEFAULT_SAMPLING),
  constraint: ConstraintSchema.optional(),
  /** a fork: tokens forced after the prompt */
  prefix: z.array(z.int().min(0).max(MAX_TOKEN_ID)).max(32_768).optional(),
  /** where the prompt came from (recorded with each run) */
  template: z
    .strictObject({ id: Id.optional(), version: z.int().min(1).optional(), hash: z.string().max(128).optional(), name: z.string().max(200).optional() })
    .optional(),
  /** how to read the answer out of an output, for self-consistency (a template's extraction rule) */
  extraction: ExtractionRuleSchema.optional(),
});
export type ComparisonVariant = z.output<typeof ComparisonVariantSchema>;

export const ComparisonSpecSchema = z
  .strictObject({
    name: z.string().min(1).max(200).default('Comparison'),
    variants: z.array(ComparisonVariantSchema).min(MIN_COMPARISON_VARIANTS, `needs at least ${MIN_COMPARISON_VARIANTS} variants`).max(MAX_COMPARISON_VARIANTS, `holds at most ${MAX_COMPARISON_VARIANTS} variants`),
    /** samples per variant, with seeds seed, seed+1, ... */
    repeats: whole(1, MAX_COMPARISON_REPEATS).default(1),
    /** the first seed; drawn and recorded when absent */
    seed: whole(0, 0xffffffff).optional(),
    topProbabilities: whole(L.topProbabilities.min, L.topProbabilities.max).default(5),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.variants.forEach((v, i) => {
      if (seen.has(v.id)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'id'], message: `is used twice ("${v.id}")` });
      seen.add(v.id);
    });
  });
export type ComparisonSpec = z.output<typeof ComparisonSpecSchema>;

export const ComparisonStartSchema = z.object({
  comparisonId: Id,
  seed: z.number(),
  runs: z.array(z.object({ runId: Id, variantId: z.string(), repeat: z.number(), seed: z.number() })),
});

export const VerdictSchema = z.strictObject({
  /** per run: thumbs (-1 / 1) or stars (1..5) */
  ratings: z.record(z.string(), z.strictObject({ thumb: z.union([z.literal(-1), z.literal(1)]).optional(), stars: whole(1, 5).optional() })).default({}),
  /** the winning variant of each repeat (repeat index -> variant id), and overall */
  winners: z.record(z.string(), z.string()).default({}),
  winner: z.string().optional(),
  notes: z.string().max(100_000).default(''),
});
export type Verdict = z.output<typeof VerdictSchema>;

export const ComparisonRunSchema = z.object({
  runId: z.string(),
  historyId: z.string().optional(),
  variantId: z.string(),
  repeat: z.number(),
  seed: z.number(),
  result: CompletionResultSchema.optional(),
  error: ApiErrorSchema.optional(),
});
export type ComparisonRun = z.infer<typeof ComparisonRunSchema>;

export const ComparisonSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  name: z.string(),
  spec: ComparisonSpecSchema,
  seed: z.number(),
  runs: z.array(ComparisonRunSchema),
  verdict: VerdictSchema,
});
export type Comparison = z.infer<typeof ComparisonSchema>;

export const ComparisonSummarySchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  name: z.string(),
  variants: z.array(z.object({ id: z.string(), label: z.string() })),
  repeats: z.number(),
  winner: z.string().optional(),
});

/** The compare methods: input and output schemas by name. */
export const compareMethods = {
  startComparison: { input: z.strictObject({ spec: ComparisonSpecSchema }), output: ComparisonStartSchema },
  /** Add variants to a comparison (e.g. a fork from a token), run like the others; at most MAX_COMPARISON_VARIANTS in all. */
  addComparisonVariants: {
    input: z.strictObject({ comparisonId: Id, variants: z.array(ComparisonVariantSchema).min(1).max(5) }),
    output: ComparisonStartSchema,
  },
  cancelComparison: { input: z.strictObject({ comparisonId: Id }), output: z.object({ cancelled: z.number() }) },
  /** Store the verdict (ratings, winner, notes) and name with the comparison. */
  saveComparison: {
    input: z.strictObject({ comparisonId: Id, name: z.string().min(1).max(200).optional(), verdict: VerdictSchema }),
    output: z.object({ saved: z.boolean() }),
  },
  /** A saved comparison exactly as it was: spec, every run's output, probabilities, metrics, records, verdict. */
  getComparison: { input: z.strictObject({ comparisonId: Id }), output: ComparisonSchema },
  listComparisons: {
    input: z.strictObject({ limit: z.int().min(1).max(200).default(50) }),
    output: z.array(ComparisonSummarySchema),
  },
} satisfies MethodTable<CompareMethod>;
