// A comparison file (YAML or JSON): the variants of an A/B comparison as a user writes them, for
// `shotglass compare` and the app alike. Pure: reading the file is the caller's job.
import { z } from 'zod';
import { ChatMessageSchema } from '../api/contract.js';
import { parseYaml } from '../library/yaml-format.js';
import { ConstraintSchema } from '../sampling/sampling.js';
import { SamplingOverridesSchema } from '../sampling/presets.js';
import { MAX_COMPARISON_REPEATS, MAX_COMPARISON_VARIANTS, MIN_COMPARISON_VARIANTS } from './limits.js';

/** A variant in a comparison file: a prompt (text, messages, or a template file with variables). */
export const FileVariantSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  label: z.string().min(1).max(100).optional(),
  model: z.string().min(1),
  prompt: z.string().optional(),
  messages: z.array(ChatMessageSchema).optional(),
  template: z.string().optional(),
  vars: z.record(z.string(), z.string()).default({}),
  sampling: SamplingOverridesSchema.default({}),
  constraint: ConstraintSchema.optional(),
});
export type FileVariant = z.output<typeof FileVariantSchema>;


export const ComparisonFileSchema = z.strictObject({
  name: z.string().min(1).max(200).default('Comparison'),
  repeats: z.int().min(1).max(MAX_COMPARISON_REPEATS).default(1),
  seed: z.int().min(0).optional(),
  probabilities: z.int().min(0).max(20).default(5),
  /** shared by every variant unless a variant sets its own */
  vars: z.record(z.string(), z.string()).default({}),
  // Overrides only (no defaults filled in): a template's own settings stay unless a file sets them.
  sampling: SamplingOverridesSchema.default({}),
  variants: z.array(FileVariantSchema).min(MIN_COMPARISON_VARIANTS, `needs at least ${MIN_COMPARISON_VARIANTS} variants`).max(MAX_COMPARISON_VARIANTS, `holds at most ${MAX_COMPARISON_VARIANTS} variants`),
});
export type ComparisonFile = z.output<typeof ComparisonFileSchema>;


/** The file's text as a comparison, or what is wrong with it (the field named, never the text). */
export function parseComparisonFile(text: string): { ok: true; file: ComparisonFile } | { ok: false; error: string } {
  const yaml = parseYaml(text);
  if (!yaml.ok) return { ok: false, error: yaml.error };
  const parsed = ComparisonFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || 'the file'} ${issue.message}` };
  }
  return { ok: true, file: parsed.data };
}
