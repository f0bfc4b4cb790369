// promptfoo config (promptfooconfig.yaml) → a Shotglass evaluation file.
//
//   prompts   text, file:// paths (a .txt file holds several prompts split by lines of ---; a .json
//             or .yaml file holding a list of {role, content} is a chat prompt), or {id, label, raw}
//   providers one variant per prompt × provider (a provider's own `prompts:` list narrows that);
//             a provider id ending in .gguf (with or without file://) is that model file; others are
//             kept by name and need --model to run here. temperature, top_p, top_k, max_tokens,
//             seed and stop in a provider's config become sampling settings.
//   tests     inline cases, file:// dataset paths, or a list mixing both
//   defaultTest  vars, assert and threshold apply to every case
//
// Nothing is dropped: unknown top-level keys, the providers as written and unknown defaultTest
// keys go under `promptfoo:` for export; assertion types Shotglass cannot grade stay in the checks
// and are listed by name in `unsupported`.
import { z } from 'zod';
import { parseYaml } from '../../library/yaml-format.js';
import { unsupportedCheckTypes, CheckSchema, type Check } from '../checks/schema.js';
import { checkProblem } from '../dataset/expected.js';
import { TestCaseSchema, zodProblem, type TestCase } from '../dataset/schema.js';
import { parseEvalFile, type EvalFile, type EvalVariant } from '../spec/eval-file.js';
import { describeIssues, fileRef, parseDatasetText, readRef, type FileReader } from './files.js';
import { providerToModel } from './providers.js';

const KNOWN_KEYS = new Set(['description', 'prompts', 'providers', 'tests', 'defaultTest']);

const ConfigSchema = z.looseObject({
  description: z.string().optional(),
  prompts: z.union([z.string(), z.array(z.union([z.string(), z.looseObject({ raw: z.string().optional(), id: z.string().optional(), label: z.string().optional() })]))], { error: 'must be a prompt or a list of prompts' }),
  providers: z.union([z.string(), z.array(z.union([z.string(), z.looseObject({ id: z.string(), label: z.string().optional(), config: z.record(z.string(), z.unknown()).optional(), prompts: z.array(z.string()).optional() })]))]).optional(),
  tests: z.union([z.string(), z.array(z.unknown())]).optional(),
  defaultTest: z.looseObject({ vars: z.record(z.string(), z.unknown()).optional(), assert: z.array(CheckSchema).optional(), threshold: z.number().optional() }).optional(),
});

export interface PromptfooImport {
  file: EvalFile;
  /** assertion types Shotglass does not grade, by name (kept in the file) */
  unsupported: string[];
  /** rows or items that could not be read, one readable line each; the rest loaded */
  issues: string[];
  /** things to know, e.g. providers that are not GGUF files */
  notes: string[];
}

interface PromptSource {
  label: string;
  /** the promptfoo id or label a provider's `prompts:` list refers to */
  refs: string[];
  prompt?: string;
  messages?: { role: 'system' | 'user' | 'assistant'; content: string }[];
}

const asMessages = (value: unknown): PromptSource['messages'] | null =>
  Array.isArray(value) && value.length > 0 && value.every((m) => m && typeof m === 'object' && ['system', 'user', 'assistant'].includes((m as { role?: unknown }).role as string) && typeof (m as { content?: unknown }).content === 'string')
    ? (value as { role: 'system' | 'user' | 'assistant'; content: string }[]).map(({ role, content }) => ({ role, content }))
    : null;

/** A promptfoo prompt text: a JSON list of messages is a chat prompt, as promptfoo reads it. */
function promptFromText(text: string): Pick<PromptSource, 'prompt' | 'messages'> {
  if (text.trimStart().startsWith('[')) {
    try {
      const messages = asMessages(JSON.parse(text));
      if (messages) return { messages };
    } catch {
      // not JSON: plain text that happens to start with [
    }
  }
  return { prompt: text };
}

async function readPrompts(raw: z.output<typeof ConfigSchema>['prompts'], reader: FileReader, errors: string[]): Promise<PromptSource[]> {
  const out: PromptSource[] = [];
  const list = typeof raw === 'string' ? [raw] : raw;
  for (const item of list) {
    const entry = typeof item === 'string' ? { raw: item } : item;
    const text = entry.raw ?? entry.id ?? '';
    const path = fileRef(text);
    const refs = [entry.id, entry.label, text].filter((x): x is string => typeof x === 'string');
    if (path === null) {
      out.push({ label: entry.label ?? `prompt ${out.length + 1}`, refs, ...promptFromText(text) });
      continue;
    }
    const read = await readRef(reader, path);
    if ('error' in read) {
      errors.push(read.error);
      continue;
    }
    if (/\.(ya?ml|json)$/i.test(path)) {
      const doc = parseYaml(read.text);
      const messages = doc.ok ? asMessages(doc.value) : null;
      if (messages) out.push({ label: entry.label ?? path, refs, messages });
      else if (doc.ok && typeof doc.value === 'string') out.push({ label: entry.label ?? path, refs, prompt: doc.value });
      else errors.push(`${path}: a prompt file must hold text or a list of {role, content} messages`);
      continue;
    }
    // promptfoo splits text prompt files on lines of three dashes
    const parts = read.text.split(/\r?\n---\r?\n/).filter((p) => p.trim() !== '');
    parts.forEach((p, i) => out.push({ label: entry.label ? (parts.length > 1 ? `${entry.label} ${i + 1}` : entry.label) : parts.length > 1 ? `${path} ${i + 1}` : path, refs, prompt: p }));
  }
  return out;
}

/** A case's variables: file:// values are read (promptfoo loads them); a list value is refused. */
async function resolveVars(vars: unknown, reader: FileReader): Promise<{ vars?: unknown; error?: string }> {
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return { vars };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    const path = fileRef(v);
    if (path === null) {
      if (Array.isArray(v)) return { error: `vars.${k}: a list of values (promptfoo's case expansion) is not supported; write one case per value` };
      out[k] = v;
      continue;
    }
    const read = await readRef(reader, path);
    if ('error' in read) return { error: `vars.${k}: ${read.error}` };
    out[k] = read.text;
  }
  return { vars: out };
}

async function readTests(raw: z.output<typeof ConfigSchema>['tests'], reader: FileReader, issues: string[]): Promise<TestCase[]> {
  const cases: TestCase[] = [];
  const list = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  for (const [index, item] of list.entries()) {
    if (typeof item === 'string') {
      const path = fileRef(item) ?? item;
      const read = await readRef(reader, path);
      if ('error' in read) {
        issues.push(read.error);
        continue;
      }
      const parsed = parseDatasetText(path, read.text);
      issues.push(...describeIssues(path, parsed));
      for (const c of parsed.cases) {
        const v = await resolveVars(c.vars, reader);
        if (v.error) issues.push(`${path}: ${v.error}`);
        else cases.push({ ...c, vars: v.vars as Record<string, string> });
      }
      continue;
    }
    const where = `tests item ${index + 1}`;
    const v = await resolveVars((item as { vars?: unknown } | null)?.vars, reader);
    if (v.error) {
      issues.push(`${where}: ${v.error}`);
      continue;
    }
    const parsed = TestCaseSchema.safeParse(item && typeof item === 'object' ? { ...item, ...(v.vars ? { vars: v.vars } : {}) } : item);
    if (!parsed.success) {
      const p = zodProblem(parsed.error);
      issues.push(`${where}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
      continue;
    }
    const bad = parsed.data.assert.map(checkProblem).findIndex((x) => x !== null);
    if (bad >= 0) issues.push(`${where}, assert.${bad}: ${checkProblem(parsed.data.assert[bad]!)}`);
    else cases.push(parsed.data);
  }
  return cases;
}

export async function importPromptfoo(text: string, reader: FileReader, options: { model?: string } = {}): Promise<{ ok: true; result: PromptfooImport } | { ok: false; error: string }> {
  const doc = parseYaml(text);
  if (!doc.ok) return { ok: false, error: `the config ${doc.error}` };
  const parsed = ConfigSchema.safeParse(doc.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `the config's ${issue.path.join('.') || 'content'} ${issue.message}` };
  }
  const config = parsed.data;
  const errors: string[] = [];
  const issues: string[] = [];
  const notes: string[] = [];
  const prompts = await readPrompts(config.prompts, reader, errors);
  if (errors.length) return { ok: false, error: errors[0]! };
  if (prompts.length === 0) return { ok: false, error: 'the config has no prompts' };

  const providerList = config.providers === undefined ? [] : typeof config.providers === 'string' ? [config.providers] : config.providers;
  const providers = providerList.map((p) => providerToModel(typeof p === 'string' ? { id: p } : p));
  if (options.model === undefined) {
    if (providers.length === 0) return { ok: false, error: 'the config has no providers: give a model file (--model)' };
    for (const p of providers) if (!p.gguf) notes.push(`provider ${p.id} is not a GGUF file: run with --model to evaluate its prompts here`);
  }
  const runWith = options.model !== undefined ? [{ id: options.model, model: options.model, label: undefined, sampling: {}, prompts: undefined, gguf: true }] : providers;
  const variants: EvalVariant[] = [];
  for (const provider of runWith)
    for (const prompt of prompts) {
      if (provider.prompts && !prompt.refs.some((r) => provider.prompts!.includes(r))) continue;
      const label = runWith.length > 1 ? `${prompt.label} · ${provider.label ?? provider.id}` : prompt.label;
      variants.push({ label: label.slice(0, 100), model: provider.model, vars: {}, sampling: provider.sampling, ...(prompt.messages ? { messages: prompt.messages } : { prompt: prompt.prompt! }) });
    }

  const cases = await readTests(config.tests, reader, issues);
  const defaults = config.defaultTest ?? {};
  const defaultVars = await resolveVars(defaults.vars ?? {}, reader);
  if (defaultVars.error) return { ok: false, error: `defaultTest ${defaultVars.error}` };
  const { vars: _v, assert, threshold, ...otherDefaults } = defaults;
  const extra = Object.fromEntries(Object.entries(config).filter(([k]) => !KNOWN_KEYS.has(k)));
  const keep: Record<string, unknown> = {
    ...(Object.keys(extra).length ? { extra } : {}),
    ...(providerList.length ? { providers: providerList } : {}),
    ...(Object.keys(otherDefaults).length ? { defaultTest: otherDefaults } : {}),
  };
  const file = parseEvalFile({
    name: (config.description ?? 'promptfoo evaluation').slice(0, 200) || 'promptfoo evaluation',
    dataset: cases,
    variants,
    vars: Object.fromEntries(Object.entries((defaultVars.vars as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)])),
    checks: assert ?? [],
    ...(threshold !== undefined ? { threshold } : {}),
    ...(Object.keys(keep).length ? { promptfoo: keep } : {}),
  });
  if (!file.ok) return { ok: false, error: `the config cannot be used: ${file.error}` };
  const allChecks: Check[] = [...file.file.checks, ...cases.flatMap((c) => c.assert)];
  return { ok: true, result: { file: file.file, unsupported: unsupportedCheckTypes(allChecks), issues, notes } };
}
