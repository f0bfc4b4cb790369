// A variant as a comparison file writes it: a prompt (text, messages, or a template file with
// variables) × a model × settings. Shared by `shotglass compare` files and evaluation files, so a
// variant copied from one works in the other. (Moved here from electron/cli/compare.ts, which
// imports it: it is pure and the evaluation needs it without Node.)
import { z } from 'zod';
import { ChatMessageSchema, ConstraintSchema } from '../../api/contract.js';
import { SamplingOverridesSchema } from '../../sampling/presets.js';

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

/** "needs exactly one of prompt, messages or template", or null. */
export function variantSourceProblem(v: FileVariant): string | null {
  const sources = [v.prompt !== undefined, v.messages !== undefined, v.template !== undefined].filter(Boolean).length;
  return sources === 1 ? null : `variant ${v.label ?? v.id ?? ''} needs exactly one of prompt, messages or template`.replace('  ', ' ');
}
