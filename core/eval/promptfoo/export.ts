// A Shotglass evaluation file → a promptfoo config (YAML). What the import kept under `promptfoo:`
// (providers as written, other top-level keys, defaultTest extras) is written back, so
// import → export → import gives the same evaluation and the same unsupported checks.
import { toYaml } from '../../library/yaml-format.js';
import type { EvalFile } from '../spec/eval-file.js';
import { variantIds } from '../spec/eval-file.js';
import { providerToModel, samplingToConfig } from './providers.js';

export interface PromptfooExport {
  /** the config as YAML */
  text: string;
  /** what promptfoo will read differently, one line each */
  notes: string[];
}

type ProviderEntry = string | { id: string; label?: string; config?: Record<string, unknown>; prompts?: string[] };

export function exportPromptfoo(file: EvalFile): PromptfooExport {
  const notes: string[] = [];
  const ids = variantIds(file.variants);
  const kept = (file.promptfoo ?? {}) as { extra?: Record<string, unknown>; providers?: ProviderEntry[]; defaultTest?: Record<string, unknown> };

  // one prompt per distinct prompt source; its label is what providers refer to
  const prompts: { label: string; raw: string }[] = [];
  const promptOf = file.variants.map((v, i) => {
    let raw: string;
    if (v.messages) raw = JSON.stringify(v.messages);
    else if (v.template !== undefined) {
      raw = `file://${v.template}`;
      notes.push(`variant ${v.label ?? ids[i]} uses a Shotglass template, which promptfoo reads as plain prompt text`);
    } else raw = v.prompt ?? '';
    const same = prompts.find((p) => p.raw === raw);
    if (same) return same.label;
    // the import labels a prompt run by several providers "prompt · provider": keep the prompt's part
    const label = v.label?.split(' · ')[0] ?? `prompt ${prompts.length + 1}`;
    prompts.push({ label, raw });
    return label;
  });

  // providers: the kept entries when they still describe the variants' models and settings
  const providers: ProviderEntry[] = [];
  const byModel = new Map<string, { sampling: string; prompts: Set<string>; entry?: ProviderEntry }>();
  file.variants.forEach((v, i) => {
    const key = `${v.model}\u0000${JSON.stringify(v.sampling)}`;
    const slot = byModel.get(key) ?? { sampling: JSON.stringify(v.sampling), prompts: new Set<string>() };
    slot.prompts.add(promptOf[i]!);
    if (!slot.entry) {
      slot.entry = kept.providers?.find((p) => {
        const m = providerToModel(typeof p === 'string' ? { id: p } : p);
        return m.model === v.model && JSON.stringify(m.sampling) === JSON.stringify(v.sampling);
      });
    }
    byModel.set(key, slot);
  });
  for (const [key, slot] of byModel) {
    const model = key.split('\u0000')[0]!;
    const sampling = JSON.parse(slot.sampling) as Record<string, unknown>;
    const base: ProviderEntry = slot.entry ?? (/\.gguf$/i.test(model) ? { id: `file://${model}` } : { id: model });
    const entry = typeof base === 'string' ? { id: base } : { ...base };
    if (!slot.entry && Object.keys(sampling).length) entry.config = samplingToConfig(sampling);
    // narrow the provider to its prompts only when it does not run them all (promptfoo's default)
    if (slot.prompts.size < prompts.length) entry.prompts = [...slot.prompts];
    else delete entry.prompts;
    providers.push(Object.keys(entry).length === 1 && typeof base === 'string' ? base : entry);
  }

  const defaultTest: Record<string, unknown> = { ...(kept.defaultTest ?? {}) };
  if (Object.keys(file.vars).length) defaultTest.vars = file.vars;
  if (file.checks.length) defaultTest.assert = file.checks;
  if (file.threshold !== undefined) defaultTest.threshold = file.threshold;
  if (file.repeats > 1) notes.push(`repeats (${file.repeats}) are not part of a promptfoo config: run promptfoo eval --repeat ${file.repeats}`);
  if (file.extraction) notes.push('the extraction rule has no promptfoo equivalent; checks there see the whole output');

  const config: Record<string, unknown> = {
    description: file.name,
    prompts: prompts.map((p) => (p.label.startsWith('prompt ') ? p.raw : { label: p.label, raw: p.raw })),
    providers,
    ...(Object.keys(defaultTest).length ? { defaultTest } : {}),
    tests: typeof file.dataset === 'string' ? `file://${file.dataset}` : file.dataset,
    ...(kept.extra ?? {}),
  };
  return { text: toYaml(config), notes };
}
