// The command line's flags: one table of options for every command, and how each flag becomes a
// field of the contract (sampling, constraint, placement). Errors name the flag, never the field.
import { READ_LIMITS, readBoundedSync } from '../../node/fs/safe-file.js';
import type { parseArgs, ParseArgsConfig } from 'node:util';
import { NUMERIC_SAMPLER_KEYS, NUMERIC_SAMPLERS, type Constraint, type NumericSamplerKey } from '../../core/api/contract.js';

/** A mistake in how the command was called: exit 2 with one line and a pointer to --help. */
export class UsageError extends Error {}

/** Flag -> sampling field: every numeric sampler's flag from the catalog, and --seed. */
export const SAMPLING_FLAGS: Readonly<Record<string, NumericSamplerKey | 'seed'>> = {
  ...Object.fromEntries(NUMERIC_SAMPLER_KEYS.map((key) => [NUMERIC_SAMPLERS[key].flag, key])),
  seed: 'seed',
};

export const OPTIONS = {
  model: { type: 'string' },
  prompt: { type: 'string', multiple: true },
  repeat: { type: 'string' },
  markdown: { type: 'boolean' },
  system: { type: 'string' },
  user: { type: 'string', multiple: true },
  assistant: { type: 'string', multiple: true },
  messages: { type: 'string' },
  template: { type: 'string' },
  text: { type: 'string' },
  var: { type: 'string', multiple: true },
  ...Object.fromEntries(Object.keys(SAMPLING_FLAGS).map((flag) => [flag, { type: 'string' }])),
  'xtc-probability': { type: 'string' },
  'xtc-threshold': { type: 'string' },
  'dry-strength': { type: 'string' },
  'dry-base': { type: 'string' },
  'dry-allowed-length': { type: 'string' },
  'dry-last-n': { type: 'string' },
  'token-bias': { type: 'string', multiple: true },
  stop: { type: 'string', multiple: true },
  trim: { type: 'boolean' },
  'json-schema': { type: 'string' },
  grammar: { type: 'string' },
  probs: { type: 'string' },
  json: { type: 'boolean' },
  gpu: { type: 'string' },
  'gpu-layers': { type: 'string' },
  'context-size': { type: 'string' },
  threads: { type: 'string' },
  'batch-size': { type: 'string' },
  'flash-attention': { type: 'string' },
  'skip-checks': { type: 'boolean' },
  'ignore-memory-estimate': { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

export type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

export function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${value}"`);
  return n;
}

export function flashAttention(value: string | undefined): 'auto' | boolean | undefined {
  if (value === undefined) return undefined;
  const choices = { auto: 'auto', on: true, off: false } as const;
  if (!Object.hasOwn(choices, value)) throw new UsageError(`--flash-attention must be auto, on or off, got "${value}"`);
  return choices[value as keyof typeof choices];
}

export function readText(flag: string, path: string): string {
  try {
    return readBoundedSync(path, READ_LIMITS.dataset).toString('utf8');
  } catch (error) {
    throw new UsageError(`--${flag}: ${path} ${(error as Error).message}`);
  }
}

export function sampling(values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(SAMPLING_FLAGS)) {
    const n = num(flag, values[flag as keyof Values] as string | undefined);
    if (n !== undefined) out[field] = n;
  }
  if (values.stop) out.stop = values.stop;
  if (values.trim) out.trimWhitespace = true;
  const xtcP = num('xtc-probability', values['xtc-probability']);
  const xtcT = num('xtc-threshold', values['xtc-threshold']);
  if (xtcP !== undefined || xtcT !== undefined) out.xtc = { probability: xtcP ?? 0.5, threshold: xtcT ?? 0.1 };
  const dry = num('dry-strength', values['dry-strength']);
  if (dry !== undefined) {
    out.dry = {
      strength: dry,
      ...(values['dry-base'] ? { base: num('dry-base', values['dry-base']) } : {}),
      ...(values['dry-allowed-length'] ? { allowedLength: num('dry-allowed-length', values['dry-allowed-length']) } : {}),
      ...(values['dry-last-n'] ? { lastTokens: num('dry-last-n', values['dry-last-n']) } : {}),
    };
  }
  if (values['token-bias']) {
    out.tokenBias = values['token-bias'].map((entry) => {
      const at = entry.lastIndexOf('=');
      if (at <= 0) throw new UsageError(`--token-bias takes ID=BIAS (e.g. 42=-5 or 42=never), got "${entry}"`);
      const token = entry.slice(0, at);
      const bias = entry.slice(at + 1);
      return {
        token: /^\d+$/.test(token) ? Number(token) : token,
        bias: bias === 'never' ? 'never' : num('token-bias', bias),
      };
    });
  }
  return out;
}

export function constraint(values: Values): Constraint | undefined {
  if (values['json-schema'] && values.grammar) throw new UsageError('give --json-schema or --grammar, not both');
  if (values['json-schema']) {
    const text = readText('json-schema', values['json-schema']);
    try {
      return { type: 'json-schema', schema: JSON.parse(text) as Record<string, unknown> };
    } catch (error) {
      throw new UsageError(`--json-schema: ${values['json-schema']} is not valid JSON (${(error as Error).message})`);
    }
  }
  if (values.grammar) return { type: 'grammar', gbnf: readText('grammar', values.grammar) };
  return undefined;
}

export function variables(values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of values.var ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`--var takes name=value, got "${entry}"`);
    out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return out;
}


const FIELD_FLAGS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(SAMPLING_FLAGS).map(([flag, field]) => [`sampling.${field}`, `--${flag}`])),
  'sampling.stop': '--stop',
  'sampling.tokenBias': '--token-bias',
  'sampling.xtc.probability': '--xtc-probability',
  'sampling.xtc.threshold': '--xtc-threshold',
  'sampling.dry.strength': '--dry-strength',
  'sampling.dry.base': '--dry-base',
  'sampling.dry.allowedLength': '--dry-allowed-length',
  'sampling.dry.lastTokens': '--dry-last-n',
  topProbabilities: '--probs',
  'options.contextSize': '--context-size',
  'options.gpuLayers': '--gpu-layers',
  'options.threads': '--threads',
  'options.batchSize': '--batch-size',
};

export function flagWords(message: string): string {
  const field = Object.keys(FIELD_FLAGS)
    .sort((a, b) => b.length - a.length)
    .find((f) => message.startsWith(f + ' ') || message.startsWith(f + '.'));
  if (!field) return message;
  return FIELD_FLAGS[field] + message.slice(field.length).replace(/^\.\d+(\.\w+)?/, '');
}

