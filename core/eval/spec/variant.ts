// A variant as a comparison file writes it: a prompt (text, messages, or a template file with
// variables) × a model × settings. Shared by `shotglass compare` files and evaluation files, so a
// variant copied from one works in the other; it is defined with the comparison file
// (core/compare/file.ts).
import { FileVariantSchema, type FileVariant } from '../../compare/file.js';

export { FileVariantSchema, type FileVariant };

/** "needs exactly one of prompt, messages or template", or null. */
export function variantSourceProblem(v: FileVariant): string | null {
  const sources = [v.prompt !== undefined, v.messages !== undefined, v.template !== undefined].filter(Boolean).length;
  return sources === 1 ? null : `variant ${v.label ?? v.id ?? ''} needs exactly one of prompt, messages or template`.replace('  ', ' ');
}
