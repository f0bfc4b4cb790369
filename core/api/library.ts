// The template library (plain files with versions) and sampling presets.
import { z } from 'zod';
import { TemplateSchema } from '../prompt/template.js';
import { SamplingFieldsSchema } from '../sampling/sampling.js';
import { Empty, Id, PathSchema, type MethodTable } from './common.js';
import type { LibraryMethod } from './methods.js';

/** A template as stored and sent: the template schema of core/prompt. */
export const TemplateValue = TemplateSchema;

export const TemplateEntrySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    id: z.string(),
    file: z.string(),
    path: z.string(),
    name: z.string(),
    tags: z.array(z.string()),
    version: z.number(),
    savedAt: z.string(),
    origin: z.string(),
    editedOutside: z.boolean(),
    template: TemplateValue,
    warning: z.string().optional(),
  }),
  /** a file that does not parse: listed with the reason, never overwritten */
  z.object({ status: z.literal('broken'), id: z.string(), file: z.string(), path: z.string(), reason: z.string() }),
]);
export type TemplateEntry = z.infer<typeof TemplateEntrySchema>;
export type SavedTemplate = Extract<TemplateEntry, { status: 'ok' }>;

export const LibraryStatusSchema = z.object({ dir: z.string(), problem: z.string().optional(), watching: z.boolean() });
export const TemplateVersionSchema = z.object({
  version: z.number(),
  savedAt: z.string(),
  origin: z.string(),
  restoredFrom: z.number().optional(),
  name: z.string(),
});
export const TemplateDiffSchema = z.object({
  from: z.number(),
  to: z.number(),
  lines: z.array(
    z.object({ op: z.enum(['equal', 'add', 'remove']), text: z.string(), oldLine: z.number().optional(), newLine: z.number().optional() }),
  ),
  unified: z.string(),
});

/** Named sampling settings (partial: what the preset sets). */
export const PresetSchema = z.object({ name: z.string(), description: z.string(), sampling: SamplingFieldsSchema.partial() });
export type Preset = z.infer<typeof PresetSchema>;

/** The library methods: input and output schemas by name. */
export const libraryMethods = {
  getLibrary: { input: Empty, output: LibraryStatusSchema },
  /** Point the library at another existing, writable folder (e.g. inside a git repository). */
  setLibraryDir: { input: z.strictObject({ dir: PathSchema }), output: LibraryStatusSchema },
  listTemplates: {
    input: z.strictObject({
      text: z.string().max(1000).optional(),
      tags: z.array(z.string().max(100)).max(20).optional(),
    }),
    output: z.array(TemplateEntrySchema),
  },
  listStarters: { input: Empty, output: z.array(TemplateValue) },
  getTemplate: { input: z.strictObject({ id: Id }), output: TemplateEntrySchema },
  createTemplate: { input: z.strictObject({ template: z.unknown() }), output: TemplateEntrySchema },
  /** Save a new version; refused when the file changed since expectedVersion (nothing is overwritten). */
  saveTemplate: {
    input: z.strictObject({ id: Id, template: z.unknown(), expectedVersion: z.int().min(1) }),
    output: TemplateEntrySchema,
  },
  renameTemplate: {
    input: z.strictObject({ id: Id, name: z.string().min(1).max(200), expectedVersion: z.int().min(1) }),
    output: TemplateEntrySchema,
  },
  duplicateTemplate: { input: z.strictObject({ id: Id, name: z.string().min(1).max(200).optional() }), output: TemplateEntrySchema },
  deleteTemplate: { input: z.strictObject({ id: Id }), output: z.object({ trashId: z.string() }) },
  undoDeleteTemplate: { input: z.strictObject({ trashId: z.string().min(1).max(200) }), output: TemplateEntrySchema },
  listTemplateVersions: { input: z.strictObject({ id: Id }), output: z.array(TemplateVersionSchema) },
  getTemplateVersion: {
    input: z.strictObject({ id: Id, version: z.int().min(1) }),
    output: z.object({ info: TemplateVersionSchema, template: TemplateValue }),
  },
  diffTemplateVersions: {
    input: z.strictObject({ id: Id, from: z.int().min(1), to: z.int().min(1) }),
    output: TemplateDiffSchema,
  },
  restoreTemplateVersion: {
    input: z.strictObject({ id: Id, version: z.int().min(1), expectedVersion: z.int().min(1) }),
    output: TemplateEntrySchema,
  },
  /**
   * Import a template from its file text (the renderer reads the file in the page, the CLI reads it
   * itself): the API never reads a path its caller names.
   */
  importTemplate: {
    input: z.strictObject({ text: z.string().max(5_000_000, 'must be at most 5 MB') }),
    output: TemplateEntrySchema,
  },
  /** A template's file text, for the caller to save where it likes: the API never writes a path its caller names. */
  exportTemplate: {
    input: z.strictObject({ id: Id }),
    output: z.object({ text: z.string(), fileName: z.string() }),
  },
  listPresets: { input: Empty, output: z.object({ builtIn: z.array(PresetSchema), user: z.array(PresetSchema) }) },
  savePreset: {
    input: z.strictObject({ name: z.string().min(1).max(60), description: z.string().max(500).default(''), sampling: z.unknown() }),
    output: z.array(PresetSchema),
  },
  deletePreset: { input: z.strictObject({ name: z.string().min(1).max(60) }), output: z.array(PresetSchema) },
} satisfies MethodTable<LibraryMethod>;

/** Events of the library. */
export const libraryEvents = [
  /** the library changed (in the app or outside it): refetch what is shown */
  z.object({ type: z.literal('library'), problem: z.string().optional() }),
] as const;
