// promptfoo providers ↔ Shotglass models and sampling settings.
import { NUMERIC_SAMPLER_KEYS, NUMERIC_SAMPLERS } from '../../sampling/catalog.js';
import type { SamplingOverrides } from '../../sampling/presets.js';

/**
 * promptfoo config key → Shotglass sampling field: the OpenAI-style names promptfoo providers
 * share, from the sampler catalog, plus seed and stop. (llama.cpp's penalty window, repeat_last_n,
 * is left to promptfoo's own llama provider, as before.)
 */
const SAMPLING_NAMES: Record<string, keyof SamplingOverrides> = {
  ...Object.fromEntries(NUMERIC_SAMPLER_KEYS.filter((key) => key !== 'penaltyLastN').map((key) => [NUMERIC_SAMPLERS[key].wire, key])),
  seed: 'seed',
  stop: 'stop',
};

export interface ProviderModel {
  id: string;
  label: string | undefined;
  /** the model file (for a GGUF provider) or the provider id as written */
  model: string;
  gguf: boolean;
  sampling: SamplingOverrides;
  prompts: string[] | undefined;
}

export function providerToModel(p: { id: string; label?: string; config?: Record<string, unknown>; prompts?: string[] }): ProviderModel {
  const path = p.id.startsWith('file://') ? p.id.slice('file://'.length) : p.id;
  const gguf = /\.gguf$/i.test(path);
  const sampling: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p.config ?? {})) {
    const name = SAMPLING_NAMES[key];
    if (name && (typeof value === 'number' || (name === 'stop' && Array.isArray(value)))) sampling[name] = value;
  }
  return { id: p.id, label: p.label, model: gguf ? path : p.id, gguf, sampling: sampling as SamplingOverrides, prompts: p.prompts };
}

/** Shotglass sampling settings → promptfoo provider config keys. */
export function samplingToConfig(sampling: SamplingOverrides): Record<string, unknown> {
  const back = Object.fromEntries(Object.entries(SAMPLING_NAMES).map(([k, v]) => [v, k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sampling)) if (v !== undefined) out[back[k] ?? k] = v;
  return out;
}
