// Drafts: unsaved work per template, kept in the data folder so nothing typed is lost.
import { z } from 'zod';
import { SamplingSchema } from '../sampling/sampling.js';
import { Empty, Id, type MethodTable } from './common.js';
import { TemplateValue } from './library.js';
import type { DraftMethod } from './methods.js';

/** A draft's key: the template's library id, or `new-…` for a template never saved. It names a file, so it is kept to a safe alphabet. */
export const DraftKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1 to 128 letters, digits, - or _');
/** The working state of one template: the edited template (validated by the template schema in the backend), where it was saved from, the variable values and the run settings. */
export const DraftSchema = z.strictObject({
  key: DraftKeySchema,
  template: TemplateValue,
  /** The library entry and version the edits started from; null for a template never saved. */
  base: z.strictObject({ id: Id, version: z.int().min(1) }).nullable(),
  values: z.record(z.string().max(200), z.string().max(1_000_000)),
  sampling: SamplingSchema,
  preset: z.string().max(60).nullable(),
  /** The template itself was edited (false: only the variable values were typed). */
  edited: z.boolean(),
  savedAt: z.string(),
});
export type Draft = z.infer<typeof DraftSchema>;
export const DraftSummarySchema = DraftSchema.pick({ key: true, base: true, edited: true, savedAt: true }).extend({ name: z.string() });
export type DraftSummary = z.infer<typeof DraftSummarySchema>;

/** The drafts methods: input and output schemas by name. */
export const draftMethods = {
  /** Keep (replace) the draft of one template. */
  saveDraft: {
    input: z.strictObject({ draft: DraftSchema.omit({ savedAt: true, template: true }).extend({ template: z.unknown() }) }),
    output: z.object({ savedAt: z.string() }),
  },
  /** The draft of one template, or null when there is none. */
  getDraft: { input: z.strictObject({ key: DraftKeySchema }), output: DraftSchema.nullable() },
  /** Every draft kept, newest first (a file that cannot be read is left out and left alone). */
  listDrafts: { input: Empty, output: z.array(DraftSummarySchema) },
  discardDraft: { input: z.strictObject({ key: DraftKeySchema }), output: z.object({ discarded: z.boolean() }) },
} satisfies MethodTable<DraftMethod>;
