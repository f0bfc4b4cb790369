// The numeric samplers, described once: range, default, whole or not, the UI's label, help and
// slider, the CLI's flag and the OpenAI/llama.cpp request field. The contract's schema
// (sampling.ts), the sampling panel, the CLI's flags and the promptfoo/OpenAI mappings all read
// this table, so a new numeric sampler is one entry here plus its mapping onto llama.cpp in
// host/samplers.ts (the only place that knows node-llama-cpp's option names).

export interface NumericSampler {
  min: number;
  max: number;
  default: number;
  integer: boolean;
  /** where the sampling panel shows it ('length': its own control, max tokens) */
  group: 'sampling' | 'penalties' | 'length';
  label: string;
  /** one line in plain words, shown under the control */
  help: string;
  /** the slider's track (may be narrower than the accepted range) */
  slider: { min: number; max: number; step: number };
  /** the command line's flag, without the dashes */
  flag: string;
  /** the field of an OpenAI-compatible request (llama.cpp's server extras included) */
  wire: string;
}

export const NUMERIC_SAMPLERS = {
  temperature: {
    min: 0, max: 2, default: 0.8, integer: false, group: 'sampling', label: 'Temperature',
    help: 'Randomness. 0 always takes the most likely token; higher gives less likely tokens a chance.',
    slider: { min: 0, max: 2, step: 0.05 }, flag: 'temperature', wire: 'temperature',
  },
  topK: {
    min: 0, max: 1000, default: 40, integer: true, group: 'sampling', label: 'Top-k',
    help: 'Keep only the k most likely tokens (0 = off).',
    slider: { min: 0, max: 200, step: 1 }, flag: 'top-k', wire: 'top_k',
  },
  topP: {
    min: 0, max: 1, default: 0.95, integer: false, group: 'sampling', label: 'Top-p',
    help: 'Keep the most likely tokens until their probabilities add up to p (1 = off).',
    slider: { min: 0, max: 1, step: 0.01 }, flag: 'top-p', wire: 'top_p',
  },
  minP: {
    min: 0, max: 1, default: 0.05, integer: false, group: 'sampling', label: 'Min-p',
    help: "Drop tokens less likely than min-p × the top token's probability (0 = off).",
    slider: { min: 0, max: 1, step: 0.01 }, flag: 'min-p', wire: 'min_p',
  },
  repeatPenalty: {
    min: 1, max: 2, default: 1, integer: false, group: 'penalties', label: 'Repeat',
    help: 'Make tokens seen in the window less likely (1 = off).',
    slider: { min: 1, max: 2, step: 0.01 }, flag: 'repeat-penalty', wire: 'repeat_penalty',
  },
  presencePenalty: {
    min: -2, max: 2, default: 0, integer: false, group: 'penalties', label: 'Presence',
    help: 'Lower every token already in the window by the same amount (0 = off; below 0 favours them).',
    slider: { min: -2, max: 2, step: 0.05 }, flag: 'presence-penalty', wire: 'presence_penalty',
  },
  frequencyPenalty: {
    min: -2, max: 2, default: 0, integer: false, group: 'penalties', label: 'Frequency',
    help: 'Lower tokens more the more often they are in the window (0 = off).',
    slider: { min: -2, max: 2, step: 0.05 }, flag: 'frequency-penalty', wire: 'frequency_penalty',
  },
  penaltyLastN: {
    min: 0, max: 8192, default: 64, integer: true, group: 'penalties', label: 'Window',
    help: 'How many recent tokens the three penalties look at.',
    slider: { min: 0, max: 2048, step: 16 }, flag: 'penalty-last-n', wire: 'repeat_last_n',
  },
  maxTokens: {
    min: 1, max: 32768, default: 256, integer: true, group: 'length', label: 'Max tokens',
    help: 'The most tokens a run generates.',
    slider: { min: 1, max: 4096, step: 1 }, flag: 'max-tokens', wire: 'max_tokens',
  },
} as const satisfies Record<string, NumericSampler>;

export type NumericSamplerKey = keyof typeof NUMERIC_SAMPLERS;
export const NUMERIC_SAMPLER_KEYS = Object.keys(NUMERIC_SAMPLERS) as NumericSamplerKey[];

/** The numeric samplers of one group of the sampling panel, in the table's order. */
export const samplersOf = (group: NumericSampler['group']): NumericSamplerKey[] =>
  NUMERIC_SAMPLER_KEYS.filter((key) => NUMERIC_SAMPLERS[key].group === group);
