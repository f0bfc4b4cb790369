// Schemas every domain of the contract uses.
import { z } from 'zod';
import type { ApiMethod } from './methods.js';

/** An id the backend made (a model, a run, a template, a comparison…). */
export const Id = z.string().min(1).max(128);

/** A file or folder path on this machine: no NUL (Node would throw its own raw error). */
export const PathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character');

export const Empty = z.strictObject({});
export const JsonObject = z.record(z.string(), z.unknown());

/** A domain's methods: each name with the schema of what it takes and what it gives. */
export type MethodTable<M extends ApiMethod> = Record<M, { input: z.ZodType; output: z.ZodType }>;
