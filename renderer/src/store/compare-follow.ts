// The compare builder follows the template it was made from: a change in the workbench (an example
// added, a preset, max tokens, the model) reaches every variant made from it, except the fields a
// variant changed on its own (a temperature sweep keeps its temperatures; a shots sweep keeps
// which examples it shows). A three-way merge, field by field: base is the workbench as the
// variants last saw it, next is the workbench now. Pure: unit-tested on its own.
import type { Example, Template } from '../../../core/prompt/index';
import type { VariantDraft } from './compare-variants';

/** Plain data (templates, settings) compared by value. */
const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Mine if I changed it, else what the workbench has now. */
const pick = <T>(mine: T, was: T, now: T): T => (same(mine, was) ? now : mine);

function mergeFields<T extends object>(mine: T, was: T, now: T): T {
  const out: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(mine), ...Object.keys(was), ...Object.keys(now)]);
  for (const key of keys) {
    const value = pick((mine as Record<string, unknown>)[key], (was as Record<string, unknown>)[key], (now as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

/**
 * Examples have no ids: one in the workbench now is matched with the one it was (same input and
 * output, else the same place when the count did not change). A new example comes in as the
 * workbench has it, except into a variant that chose its own examples (a shots sweep), where it
 * comes in disabled so "1-shot" stays one shot.
 */
function mergeExamples(mine: readonly Example[], was: readonly Example[], now: readonly Example[]): Example[] {
  const choseOwn = mine.length !== was.length || mine.some((e, i) => e.enabled !== was[i]?.enabled);
  const used = new Set<number>();
  return now.map((example, i) => {
    let j = was.findIndex((w, k) => !used.has(k) && w.input === example.input && w.output === example.output);
    if (j < 0 && was.length === now.length && !used.has(i)) j = i;
    if (j < 0 || !mine[j]) return choseOwn ? { ...example, enabled: false } : { ...example };
    used.add(j);
    return mergeFields(mine[j]!, was[j]!, example);
  });
}

function mergeTemplate(mine: Template, was: Template, now: Template): Template {
  const merged = mergeFields(mine, was, now);
  merged.examples = mergeExamples(mine.examples, was.examples, now.examples);
  return merged;
}

/** Whether a draft follows the workbench at all (a saved prompt, or another kind of prompt, does not). */
export function follows(draft: VariantDraft, base: VariantDraft): boolean {
  return !draft.saved && (draft.template === null) === (base.template === null);
}

/** The draft with the workbench's change from `base` to `next` applied where the draft kept base's value. */
export function followWorkbench(draft: VariantDraft, base: VariantDraft, next: VariantDraft): VariantDraft {
  if (!follows(draft, base) || (next.template === null) !== (base.template === null)) return draft;
  const out: VariantDraft = {
    ...draft,
    modelId: pick(draft.modelId, base.modelId, next.modelId),
    sampling: mergeFields(draft.sampling, base.sampling, next.sampling),
    template: draft.template && base.template && next.template ? mergeTemplate(draft.template, base.template, next.template) : draft.template,
  };
  if (draft.template === null) out.raw = pick(draft.raw, base.raw, next.raw);
  if (next.source) out.source = next.source;
  else delete out.source;
  return out;
}

/** Whether the workbench changed anything a draft follows. */
export function workbenchChanged(base: VariantDraft, next: VariantDraft): boolean {
  return !same(
    { modelId: base.modelId, sampling: base.sampling, template: base.template, raw: base.raw, source: base.source },
    { modelId: next.modelId, sampling: next.sampling, template: next.template, raw: next.raw, source: next.source },
  );
}
