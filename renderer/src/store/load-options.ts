// Load settings as the dialog edits them (text, so a half-typed number is not lost) and their
// check against the contract's own schema, so the UI refuses exactly what the backend would.
import { LoadOptionsSchema, type ApiInput, type LoadOptions, type ModelSummary } from '../../../core/api/contract';

/** What loadModel accepts as options (defaults not yet applied). */
export type LoadOptionsInput = NonNullable<ApiInput<'loadModel'>['options']>;

export type FlashAttentionChoice = 'auto' | 'on' | 'off';

export interface LoadSettingsDraft {
  contextSize: string;
  gpuLayers: string;
  threads: string;
  batchSize: string;
  flashAttention: FlashAttentionChoice;
  useMmap: boolean;
  sequences: string;
  ignoreMemoryEstimate: boolean;
}

export const LOAD_OPTION_LABELS: Record<keyof LoadOptions, string> = {
  contextSize: 'Context size',
  gpuLayers: 'GPU layers',
  threads: 'Threads',
  batchSize: 'Batch size',
  flashAttention: 'Flash attention',
  useMmap: 'Memory-mapped file',
  sequences: 'Parallel sequences',
  ignoreMemoryEstimate: 'Ignore the memory estimate',
};

export const DEFAULT_LOAD_OPTIONS: LoadOptions = LoadOptionsSchema.parse({});

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

/** The dialog's starting point: what the model was last loaded with, else the defaults. */
export function draftFromModel(model: Pick<ModelSummary, 'loadOptions'> | null): LoadSettingsDraft {
  const o = { ...DEFAULT_LOAD_OPTIONS, ...model?.loadOptions };
  return {
    contextSize: text(o.contextSize),
    gpuLayers: String(o.gpuLayers),
    threads: String(o.threads),
    batchSize: text(o.batchSize),
    flashAttention: o.flashAttention === 'auto' ? 'auto' : o.flashAttention ? 'on' : 'off',
    useMmap: o.useMmap,
    sequences: String(o.sequences),
    ignoreMemoryEstimate: o.ignoreMemoryEstimate,
  };
}

/** Empty means "the default"; anything else goes to the schema as a number (NaN if it is not one). */
const numberOrDefault = (raw: string): number | undefined => (raw.trim() === '' ? undefined : Number(raw.trim()));

/** Turns the text fields into options; no checks here (checkLoadOptions does them). */
export function optionsFromDraft(draft: LoadSettingsDraft): LoadOptionsInput {
  const gpu = draft.gpuLayers.trim().toLowerCase();
  return {
    contextSize: numberOrDefault(draft.contextSize),
    gpuLayers: gpu === 'auto' || gpu === 'max' ? gpu : numberOrDefault(gpu),
    threads: numberOrDefault(draft.threads),
    batchSize: numberOrDefault(draft.batchSize),
    flashAttention: draft.flashAttention === 'auto' ? 'auto' : draft.flashAttention === 'on',
    useMmap: draft.useMmap,
    sequences: numberOrDefault(draft.sequences),
    ignoreMemoryEstimate: draft.ignoreMemoryEstimate,
  };
}

export type LoadOptionsCheck =
  | { ok: true; options: LoadOptions }
  | { ok: false; field: keyof LoadOptions | null; message: string };

/** LoadOptionsSchema.safeParse, with the first problem in words that name the field. */
export function checkLoadOptions(input: LoadOptionsInput): LoadOptionsCheck {
  const result = LoadOptionsSchema.safeParse(input);
  if (result.success) return { ok: true, options: result.data };
  const issue = result.error.issues[0];
  const key = issue?.path[0];
  const field = typeof key === 'string' && Object.hasOwn(LOAD_OPTION_LABELS, key) ? (key as keyof LoadOptions) : null;
  if (!field) return { ok: false, field: null, message: `The load settings are not valid: ${issue?.message ?? 'unknown problem'}` };
  // A union's own message ("Invalid input") says nothing; say what the field takes.
  const rule = field === 'gpuLayers' ? 'must be auto, max or a whole number from 0 to 1024' : (issue?.message ?? 'is not valid');
  return { ok: false, field, message: `${LOAD_OPTION_LABELS[field]} ${rule}` };
}
