// The run history (SQLite): runs as listed and as stored.
import { z } from 'zod';
import { Empty, Id, JsonObject, type MethodTable } from './common.js';
import type { HistoryMethod } from './methods.js';
import { TokenStepSchema } from './runs.js';

export const RunKindSchema = z.enum(['single', 'comparison', 'evaluation']);
export const RunSummarySchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  kind: RunKindSchema,
  groupId: z.string().optional(),
  variant: z.string().optional(),
  templateId: z.string().optional(),
  templateVersion: z.number().optional(),
  modelPath: z.string(),
  modelSha256: z.string().optional(),
  mode: z.enum(['completion', 'chat']),
  promptPreview: z.string(),
  outputPreview: z.string(),
  finishReason: z.string(),
  metrics: JsonObject,
  rating: z.number().optional(),
  hasProbabilities: z.boolean(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;
export const StoredRunSchema = RunSummarySchema.omit({ promptPreview: true, outputPreview: true, hasProbabilities: true }).extend({
  templateHash: z.string().optional(),
  prompt: z.string(),
  sampling: JsonObject,
  output: z.string(),
  record: JsonObject,
  probabilities: z.array(TokenStepSchema).optional(),
  notes: z.string().optional(),
});
export type StoredRun = z.infer<typeof StoredRunSchema>;

/** The history methods: input and output schemas by name. */
export const historyMethods = {
  listRuns: {
    input: z.strictObject({
      templateId: Id.optional(),
      modelPath: z.string().max(4096).optional(),
      text: z.string().max(1000).optional(),
      kind: RunKindSchema.optional(),
      groupId: Id.optional(),
      cursor: z.string().max(512).optional(),
      limit: z.int().min(1).max(200).default(50),
    }),
    output: z.object({ items: z.array(RunSummarySchema), nextCursor: z.string().nullable() }),
  },
  getRun: {
    input: z.strictObject({ id: Id, probabilities: z.boolean().default(false) }),
    output: StoredRunSchema,
  },
  rateRun: {
    input: z.strictObject({ id: Id, rating: z.number().min(-1).max(5).nullable().optional(), notes: z.string().max(100_000).optional() }),
    output: StoredRunSchema,
  },
  deleteRun: { input: z.strictObject({ id: Id }), output: z.object({ deleted: z.boolean() }) },
  /**
   * A damaged history database (SQLite said so, or it cannot be opened as a history) is renamed to
   * `history.sqlite.damaged-<time>` in the data folder and a new one starts. Refused while the
   * history is sound.
   */
  moveHistoryAside: { input: Empty, output: z.object({ movedTo: z.string() }) },
} satisfies MethodTable<HistoryMethod>;

/** Events of the history. */
export const historyEvents = [
  /** a finished run was stored in the history (or could not be: error says why) */
  z.object({ type: z.literal('history'), runId: Id, historyId: z.string().optional(), error: z.string().optional() }),
] as const;
