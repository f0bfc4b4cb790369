// Shotglass's evaluation file (YAML or JSON):
//
//   name: Sentiment, zero-shot vs few-shot
//   dataset: sentiment.csv            # a CSV/TSV/JSONL/YAML path beside this file, or a list of cases inline
//   variants:                         # as in a comparison file (spec/variant.ts), 1 to 12
//     - { label: zero-shot, model: models/demo.gguf, template: sentiment-0.yaml }
//     - { label: few-shot, model: models/demo.gguf, template: sentiment-3.yaml,
//         sweep: { kind: temperature, values: [0, 0.7] } }
//   checks:                           # applied to every case, before the case's own
//     - { type: icontains, value: "{{label}}" }
//   threshold: 0.5                    # optional: a case passes when its weighted score reaches it
//   repeats: 3
//   seed: 42
//   extraction: { rule: first-line }  # for variants whose prompt has no template (templates carry their own)
//
// In an evaluation a variant's `prompt` text and `messages` are filled with each case's variables
// ({{name}}), as promptfoo fills its prompts; a template is filled as the app fills it.
import { z } from 'zod';
import { ExtractionRuleSchema } from '../../prompt/extract.js';
import { SamplingOverridesSchema } from '../../sampling/presets.js';
import { CheckSchema } from '../checks/schema.js';
import { TestCaseSchema } from '../dataset/schema.js';
import { FileVariantSchema, variantSourceProblem, type FileVariant } from './variant.js';

export const MAX_EVAL_VARIANTS = 12;

export const SWEEP_KINDS = ['temperature', 'topP', 'maxTokens', 'model', 'shots', 'cot'] as const;

/** One variant expanded into several along one setting (as the Compare view's sweeps). */
export const SweepSchema = z.strictObject({
  kind: z.enum(SWEEP_KINDS, { error: `must be ${SWEEP_KINDS.join(', ')}` }),
  values: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1, 'needs at least one value').max(16, 'holds at most 16 values'),
});
export type Sweep = z.output<typeof SweepSchema>;

export const EvalVariantSchema = FileVariantSchema.extend({ sweep: SweepSchema.optional() });
export type EvalVariant = z.output<typeof EvalVariantSchema>;

export const EvalFileSchema = z
  .strictObject({
    name: z.string().min(1).max(200).default('Evaluation'),
    description: z.string().max(10_000).optional(),
    dataset: z.union([z.string().min(1, 'must not be empty'), z.array(TestCaseSchema)], { error: 'must be a file path or a list of test cases' }),
    variants: z.array(EvalVariantSchema).min(1, 'needs at least 1 variant').max(MAX_EVAL_VARIANTS, `holds at most ${MAX_EVAL_VARIANTS} variants`),
    /** shared by every variant and case; a case's own variables win */
    vars: z.record(z.string(), z.string()).default({}),
    sampling: SamplingOverridesSchema.default({}),
    checks: z.array(CheckSchema).default([]),
    threshold: z.number().min(0).max(1).optional(),
    repeats: z.int().min(1).max(64).default(1),
    seed: z.int().min(0).max(0xffffffff).optional(),
    extraction: ExtractionRuleSchema.optional(),
    /** promptfoo settings with no Shotglass meaning (providers, options...), kept for export */
    promptfoo: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((f, ctx) => {
    f.variants.forEach((v, i) => {
      const problem = variantSourceProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', path: ['variants', i], message: 'needs exactly one of prompt, messages or template' });
    });
    const ids = f.variants.map((v) => v.id).filter((id) => id !== undefined);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['variants'], message: 'has the same id twice' });
  });
export type EvalFile = z.output<typeof EvalFileSchema>;

/** "variants.1.model is required" for the first problem, or the parsed file. */
export function parseEvalFile(value: unknown): { ok: true; file: EvalFile } | { ok: false; error: string } {
  const parsed = EvalFileSchema.safeParse(value);
  if (parsed.success) return { ok: true, file: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, error: `${issue.path.join('.') || 'the file'} ${issue.message}` };
}

/**
 * Variants with their sweeps expanded: a temperature/topP/maxTokens sweep sets that sampling
 * value, a model sweep the model path; each gets a label like "few-shot (temperature 0.7)".
 * Shots and CoT sweeps need the template's content, so they are left for the runner, which
 * loads templates (the variant is returned with its sweep).
 */
export function expandSweeps(variants: readonly EvalVariant[]): EvalVariant[] {
  const out: EvalVariant[] = [];
  variants.forEach((v, i) => {
    const name = v.label ?? v.id ?? `Variant ${String.fromCharCode(65 + i)}`;
    if (!v.sweep || v.sweep.kind === 'shots' || v.sweep.kind === 'cot') {
      out.push(v);
      return;
    }
    const { sweep, ...base } = v;
    for (const value of sweep.values) {
      const label = `${name} (${sweep.kind} ${value})`.slice(0, 100);
      const id = v.id ? `${v.id}-${String(value).replace(/[^A-Za-z0-9_-]/g, '_')}` : undefined;
      const next: EvalVariant = { ...base, label, ...(id ? { id } : {}) };
      if (sweep.kind === 'model') next.model = String(value);
      else next.sampling = { ...base.sampling, [sweep.kind]: Number(value) };
      out.push(next);
    }
  });
  return out;
}

/** Stable ids for variants ("a", "b", ... unless the file names them), as comparisons number them. */
export function variantIds(variants: readonly FileVariant[]): string[] {
  return variants.map((v, i) => v.id ?? (i < 26 ? String.fromCharCode(97 + i) : `v${i + 1}`));
}
