// Pure pieces of the Compare view: variant drafts (a template copy × a model × settings), sweeps that
// expand into variants, the comparison spec built by the same prepareRun() a single run uses, forks,
// and the verdict's tally. No store, no React: unit-tested on their own.
import type { ComparisonSpec, ComparisonVariant, Sampling, TokenStep, Verdict } from '../../../core/api/contract';
import { prepareRun, switchTechnique, type ExtractionRule, type SamplingPreset, type Template } from '../../../core/prompt/index';
import { sanitizeSampling } from './sampling';
import { MAX_COMPARISON_VARIANTS } from '../../../core/compare/limits';

export const MAX_VARIANTS = MAX_COMPARISON_VARIANTS;
export const MIN_VARIANTS = 2;

/** One column before it runs: what to prompt (a template copy, or a raw text), on which model, how. */
export interface VariantDraft {
  /** stable id within the comparison ('a', 'b', …; forks get 'a-f1') */
  id: string;
  label: string;
  modelId: string;
  /** the template this variant renders (an edited copy of the current one); null for a raw prompt */
  template: Template | null;
  /** the raw prompt when template is null */
  raw?: string;
  sampling: Sampling;
  /** where the template came from in the library */
  source?: { id?: string; version?: number };
  /**
   * A variant reopened from a saved comparison: its prompt exactly as it ran (variables filled in,
   * chat messages, constraint, a fork's forced tokens, template reference, answer rule). It runs
   * as saved, never rebuilt from whatever template the workbench shows now.
   */
  saved?: SavedPrompt;
}

export type SavedPrompt = Pick<ComparisonVariant, 'input' | 'constraint' | 'prefix' | 'template' | 'extraction'>;

/** The variants of a saved comparison as drafts that re-run exactly as saved (settings editable). */
export function draftsFromSpec(spec: ComparisonSpec): VariantDraft[] {
  return spec.variants.slice(0, MAX_VARIANTS).map((v) => {
    const saved: SavedPrompt = { input: structuredClone(v.input) };
    if (v.constraint) saved.constraint = structuredClone(v.constraint);
    if (v.prefix?.length) saved.prefix = [...v.prefix];
    if (v.template) saved.template = { ...v.template };
    if (v.extraction !== undefined) saved.extraction = structuredClone(v.extraction);
    return { id: v.id, label: v.label, modelId: v.modelId, template: null, sampling: cloneSampling(v.sampling), saved };
  });
}

export type SweepKind = 'temperature' | 'shots' | 'cot' | 'model' | 'topP' | 'maxTokens';

export const SWEEP_LABELS: Record<SweepKind, string> = {
  temperature: 'Temperature',
  topP: 'Top-p',
  maxTokens: 'Max tokens',
  shots: 'Number of shots',
  cot: 'Chain of thought on/off',
  model: 'Same prompt on other models',
};

export const SWEEP_DEFAULTS: Record<SweepKind, string> = {
  temperature: '0, 0.7, 1.2',
  topP: '0.5, 0.9, 1',
  maxTokens: '16, 32, 64',
  /** from the template: see sweepDefaults */
  shots: '',
  cot: '',
  model: '',
};

/** The numbers of shots to try on a template with `available` examples: 0, 1, 3, 5 as far as it goes, and all of them. */
export function defaultShots(available: number): number[] {
  const values = [0, 1, 3, 5, available].filter((k) => k <= available);
  return [...new Set(values)].sort((a, b) => a - b).slice(0, MAX_VARIANTS);
}

/** What a sweep starts with: fixed values, except the shots sweep, which follows the template's examples. */
export function sweepDefaults(kind: SweepKind, base: VariantDraft | undefined): string {
  if (kind !== 'shots') return SWEEP_DEFAULTS[kind];
  return base?.template ? defaultShots(base.template.examples.length).join(', ') : '';
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The first letter id no draft uses yet ('a', 'b', …, then 'v7', …). */
export function nextVariantId(used: readonly string[]): string {
  for (const letter of LETTERS) if (!used.includes(letter)) return letter;
  let n = used.length + 1;
  while (used.includes(`v${n}`)) n++;
  return `v${n}`;
}

export function cloneTemplate(template: Template): Template {
  return structuredClone(template);
}

export function cloneSampling(sampling: Sampling): Sampling {
  return sanitizeSampling(structuredClone(sampling));
}

/** "0, 0.7, 1.2" → [0, 0.7, 1.2] (numbers only, in order, no duplicates). */
export function parseSweepValues(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    if (!part) continue;
    const n = Number(part);
    if (Number.isFinite(n) && !out.includes(n)) out.push(n);
  }
  return out;
}

/** The template showing its first k examples enabled (k = 0: zero-shot). */
export function withShots(template: Template, k: number): Template {
  const examples = template.examples.map((e, i) => ({ ...e, enabled: i < k }));
  const technique = k === 0 ? (template.technique === 'chain-of-thought' ? 'chain-of-thought' : 'zero-shot') : template.technique === 'chain-of-thought' ? 'chain-of-thought' : k === 1 ? 'one-shot' : 'few-shot';
  return { ...switchTechnique(template, technique), examples };
}

export interface SweepResult {
  ok: boolean;
  drafts: VariantDraft[];
  error?: string;
}

/**
 * Expand a base variant into one variant per value. Values that cannot apply (more shots than the
 * template has examples) are refused in words; the result never holds more than MAX_VARIANTS.
 */
export function sweep(base: VariantDraft, kind: SweepKind, valuesText: string, options: { modelIds?: readonly string[]; modelName?: (id: string) => string } = {}): SweepResult {
  const make = (label: string, changes: Partial<VariantDraft>): VariantDraft => ({
    ...base,
    template: base.template ? cloneTemplate(base.template) : null,
    sampling: cloneSampling(base.sampling),
    ...changes,
    label,
  });
  let drafts: VariantDraft[] = [];
  switch (kind) {
    case 'temperature':
    case 'topP':
    case 'maxTokens': {
      const values = parseSweepValues(valuesText);
      if (values.length < 1) return { ok: false, drafts: [], error: 'Give the values to try, separated by commas (e.g. 0, 0.7, 1.2).' };
      const name = kind === 'temperature' ? 'T' : kind === 'topP' ? 'top-p' : 'max';
      drafts = values.map((v) => make(`${name}=${v}`, { sampling: sanitizeSampling({ ...cloneSampling(base.sampling), [kind]: kind === 'maxTokens' ? Math.round(v) : v }) }));
      break;
    }
    case 'shots': {
      if (!base.template) return { ok: false, drafts: [], error: base.saved ? 'A shots sweep needs a template: a reopened variant runs its saved prompt as it is (use New from template).' : 'A shots sweep needs a template (the Raw prompt has no examples).' };
      const values = parseSweepValues(valuesText).map((v) => Math.max(0, Math.round(v)));
      const available = base.template.examples.length;
      const tooMany = values.filter((k) => k > available);
      if (tooMany.length) return { ok: false, drafts: [], error: `The template has ${available} example${available === 1 ? '' : 's'}: ${tooMany.join(', ')} shots cannot be shown. Add examples first.` };
      if (values.length < 1) return { ok: false, drafts: [], error: 'Give the numbers of shots to try (e.g. 0, 1, 3).' };
      drafts = values.map((k) => make(`${k}-shot`, { template: withShots(base.template!, k) }));
      break;
    }
    case 'cot': {
      if (!base.template) return { ok: false, drafts: [], error: base.saved ? 'Chain of thought needs a template: a reopened variant runs its saved prompt as it is (use New from template).' : 'Chain of thought needs a template.' };
      const t = base.template;
      const off = t.technique === 'chain-of-thought' ? switchTechnique(t, t.examples.some((e) => e.enabled) ? 'few-shot' : 'zero-shot') : t;
      const on = switchTechnique(t, 'chain-of-thought');
      drafts = [make('CoT off', { template: cloneTemplate(off) }), make('CoT on', { template: cloneTemplate(on) })];
      break;
    }
    case 'model': {
      const ids = options.modelIds ?? [];
      if (ids.length < 1) return { ok: false, drafts: [], error: 'Open another model first: only one model is known.' };
      drafts = ids.map((id) => make(options.modelName?.(id) ?? id, { modelId: id }));
      break;
    }
  }
  if (drafts.length > MAX_VARIANTS) return { ok: false, drafts: [], error: `A comparison holds at most ${MAX_VARIANTS} variants.` };
  return { ok: true, drafts };
}

/** Give drafts fresh, distinct ids (a, b, c…) keeping their order. */
export function relabelIds(drafts: readonly VariantDraft[]): VariantDraft[] {
  const used: string[] = [];
  return drafts.map((d) => {
    const id = nextVariantId(used);
    used.push(id);
    return { ...d, id };
  });
}

export interface BuiltVariant {
  variant: ComparisonVariant;
  /** the prompt as text (completion) or messages joined (chat), for the prompt view */
  promptText: string;
  extraction: ExtractionRule | null;
}

export type BuildResult = { ok: true; spec: ComparisonSpec; built: BuiltVariant[] } | { ok: false; error: string; variantId?: string };

export function buildVariant(
  draft: VariantDraft,
  values: Record<string, string>,
  userPresets: readonly SamplingPreset[] = [],
): { ok: true; built: BuiltVariant } | { ok: false; error: string } {
  if (draft.saved) {
    const { input, constraint, prefix, template, extraction } = draft.saved;
    const variant: ComparisonVariant = { id: draft.id, label: draft.label, modelId: draft.modelId, input, sampling: sanitizeSampling(draft.sampling) };
    if (constraint) variant.constraint = constraint;
    if (prefix?.length) variant.prefix = prefix;
    if (template) variant.template = template;
    if (extraction !== undefined) variant.extraction = extraction;
    return { ok: true, built: { variant, promptText: inputText(input), extraction: (extraction as ExtractionRule | undefined) ?? null } };
  }
  if (!draft.template) {
    const text = draft.raw ?? '';
    if (!text) return { ok: false, error: `${draft.label}: the prompt is empty.` };
    const variant: ComparisonVariant = { id: draft.id, label: draft.label, modelId: draft.modelId, input: { mode: 'completion', text }, sampling: sanitizeSampling(draft.sampling) };
    return { ok: true, built: { variant, promptText: text, extraction: null } };
  }
  const prepared = prepareRun(draft.template, values, { userPresets, samplingOverrides: draft.sampling });
  if (!prepared.ok) return { ok: false, error: `${draft.label}: ${prepared.error}` };
  const { plan } = prepared;
  const variant: ComparisonVariant = {
    id: draft.id,
    label: draft.label,
    modelId: draft.modelId,
    input: plan.input,
    sampling: sanitizeSampling(plan.sampling),
    template: {
      ...(draft.source?.id ? { id: draft.source.id } : {}),
      ...(draft.source?.version ? { version: draft.source.version } : {}),
      hash: plan.templateHash,
      name: draft.template.name.slice(0, 200),
    },
    extraction: plan.extraction,
  };
  if (plan.constraint) variant.constraint = plan.constraint;
  return { ok: true, built: { variant, promptText: inputText(plan.input), extraction: plan.extraction } };
}

/** Build the whole spec; the first variant that cannot be built is named. */
export function buildSpec(
  name: string,
  drafts: readonly VariantDraft[],
  values: Record<string, string>,
  options: { repeats: number; seed?: number; topProbabilities: number; userPresets?: readonly SamplingPreset[] },
): BuildResult {
  if (drafts.length < MIN_VARIANTS) return { ok: false, error: `A comparison needs at least ${MIN_VARIANTS} variants.` };
  if (drafts.length > MAX_VARIANTS) return { ok: false, error: `A comparison holds at most ${MAX_VARIANTS} variants.` };
  const labels = new Set<string>();
  const built: BuiltVariant[] = [];
  for (const draft of drafts) {
    if (!draft.label.trim()) return { ok: false, error: 'Every variant needs a label.', variantId: draft.id };
    if (labels.has(draft.label.trim())) return { ok: false, error: `Two variants are labelled "${draft.label.trim()}": give each its own label.`, variantId: draft.id };
    labels.add(draft.label.trim());
    const result = buildVariant({ ...draft, label: draft.label.trim() }, values, options.userPresets);
    if (!result.ok) return { ok: false, error: result.error, variantId: draft.id };
    built.push(result.built);
  }
  const spec: ComparisonSpec = {
    name: name.trim() || 'Comparison',
    variants: built.map((b) => b.variant),
    repeats: Math.max(1, Math.min(64, Math.round(options.repeats))),
    topProbabilities: Math.max(1, Math.min(20, options.topProbabilities)),
  };
  if (options.seed !== undefined) spec.seed = options.seed;
  return { ok: true, spec, built };
}

export function inputText(input: ComparisonVariant['input']): string {
  if (input.mode === 'completion') return input.text;
  return input.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
}

/** A fork of `parent` at step `index`: the tokens before it, then the chosen alternative. */
export function forkVariant(
  parent: ComparisonVariant,
  steps: readonly TokenStep[],
  index: number,
  alternative: { id: number; text: string },
  usedIds: readonly string[],
): ComparisonVariant {
  const prefix = [...(parent.prefix ?? []), ...steps.slice(0, index).map((s) => s.id), alternative.id];
  let n = 1;
  while (usedIds.includes(`${parent.id}-f${n}`)) n++;
  const shown = JSON.stringify(alternative.text).slice(1, -1);
  const label = `${parent.label} @${index + 1}→"${shown}"`.slice(0, 100);
  const { prefix: _old, ...rest } = parent;
  return { ...rest, id: `${parent.id}-f${n}`.slice(0, 64), label, prefix };
}

/**
 * The text of a fork's forced tokens, recovered from the runs it was forked from: the longest run
 * whose steps spell the prefix (the last token may be one of its alternatives).
 */
export function prefixText(prefix: readonly number[] | undefined, candidates: ReadonlyArray<{ prefixText?: string; prefix?: readonly number[]; steps: readonly TokenStep[] }>): string | null {
  if (!prefix?.length) return '';
  for (const run of candidates) {
    const own = run.prefix ?? [];
    if (own.length > prefix.length || own.some((id, i) => prefix[i] !== id)) continue;
    let text = run.prefixText ?? (own.length ? null : '');
    if (text === null) continue;
    let ok = true;
    for (let i = own.length; i < prefix.length; i++) {
      const step = run.steps[i - own.length];
      if (!step) {
        ok = false;
        break;
      }
      if (step.id === prefix[i]) text += step.text;
      else if (i === prefix.length - 1) {
        const alt = step.top.find((t) => t.id === prefix[i]);
        if (!alt) {
          ok = false;
          break;
        }
        text += alt.text;
      } else {
        ok = false;
        break;
      }
    }
    if (ok) return text;
  }
  return null;
}

export interface Tally {
  /** per variant: repeats won, thumbs up/down, stars (sum and count) */
  byVariant: Record<string, { wins: number; up: number; down: number; starSum: number; starCount: number }>;
  /** the variant with the most repeat wins (ties: none) */
  leader: string | null;
}

export function tallyVerdict(verdict: Verdict, runs: ReadonlyArray<{ runId: string; variantId: string }>, variantIds: readonly string[]): Tally {
  const byVariant: Tally['byVariant'] = {};
  for (const id of variantIds) byVariant[id] = { wins: 0, up: 0, down: 0, starSum: 0, starCount: 0 };
  for (const winner of Object.values(verdict.winners)) if (byVariant[winner]) byVariant[winner].wins++;
  for (const run of runs) {
    const r = verdict.ratings[run.runId];
    const t = byVariant[run.variantId];
    if (!r || !t) continue;
    if (r.thumb === 1) t.up++;
    if (r.thumb === -1) t.down++;
    if (r.stars) {
      t.starSum += r.stars;
      t.starCount++;
    }
  }
  let leader: string | null = null;
  let best = 0;
  let tie = false;
  for (const [id, t] of Object.entries(byVariant)) {
    if (t.wins > best) {
      best = t.wins;
      leader = id;
      tie = false;
    } else if (t.wins === best && best > 0) tie = true;
  }
  return { byVariant, leader: tie ? null : leader };
}

/** Move an item from one index to another (a copy). */
export function move<T>(items: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return items.slice();
  const out = items.slice();
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}
