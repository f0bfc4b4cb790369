// `shotglass compare`: a comparison from a file (YAML or JSON) or from flags, run headless with the
// same parallel execution as the app; text, JSON or Markdown out.
import { dirname, resolve } from 'node:path';
import { READ_LIMITS, readBoundedSync } from '../../node/fs/safe-file.js';
import { z } from 'zod';
import {
  ApiError,
  ChatMessageSchema,
  ConstraintSchema,
  type Comparison,
  type ComparisonRun,
  type CompletionResult,
  type PromptInput,
} from '../../core/api/contract.js';
import type { Service } from '../../service/types.js';
import { comparisonToMarkdown, firstDivergence, selfConsistency } from '../../core/compare/index.js';
import { parseFile } from '../../service/library/file-format.js';
import { promptTemplateCodec } from '../../core/library/prompt-codec.js';
import { parseComparisonFile, type ComparisonFile } from '../../core/compare/file.js';
import { prepareRun } from '../../core/prompt/index.js';
import type { ExtractionRule } from '../../core/prompt/extract.js';

export function readComparisonFile(path: string): ComparisonFile {
  let text: string;
  try {
    text = readBoundedSync(path, READ_LIMITS.dataset).toString('utf8');
  } catch (error) {
    throw new ApiError('invalid-argument', `${path} ${(error as Error).message}`);
  }
  const parsed = parseComparisonFile(text);
  if (!parsed.ok) throw new ApiError('invalid-argument', `${path}: ${parsed.error}`);
  return parsed.file;
}

interface Resolved {
  input: PromptInput;
  sampling: Record<string, unknown>;
  constraint?: z.output<typeof ConstraintSchema>;
  template?: { hash: string; name: string };
  extraction?: ExtractionRule;
}

function resolveVariant(file: ComparisonFile, v: ComparisonFile['variants'][number], baseDir: string): Resolved {
  const sampling = { ...file.sampling, ...v.sampling };
  const sources = [v.prompt !== undefined, v.messages !== undefined, v.template !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new ApiError('invalid-argument', `variant ${v.label ?? v.id ?? ''} needs exactly one of prompt, messages or template`);
  if (v.prompt !== undefined) return { input: { mode: 'completion', text: v.prompt }, sampling, ...(v.constraint ? { constraint: v.constraint } : {}) };
  if (v.messages) return { input: { mode: 'chat', messages: v.messages }, sampling, ...(v.constraint ? { constraint: v.constraint } : {}) };
  const path = resolve(baseDir, v.template!);
  let bytes: Uint8Array;
  try {
    bytes = readBoundedSync(path, READ_LIMITS.template);
  } catch (error) {
    throw new ApiError('invalid-argument', `the template ${path} ${(error as Error).message}`);
  }
  const parsed = parseFile(bytes, promptTemplateCodec);
  if (!parsed.ok) throw new ApiError('invalid-argument', `${path} ${parsed.reason}`);
  const prepared = prepareRun(parsed.template, { ...file.vars, ...v.vars }, { samplingOverrides: sampling as never });
  if (!prepared.ok) throw new ApiError('invalid-argument', `${path}: ${prepared.error}`);
  const { plan } = prepared;
  return {
    input: plan.input,
    sampling: plan.sampling,
    constraint: v.constraint ?? plan.constraint,
    template: { hash: plan.templateHash, name: parsed.template.name },
    extraction: plan.extraction,
  };
}

/** Run a comparison to the end; the Comparison as the app would show (and export) it. */
export async function runComparison(backend: Service, file: ComparisonFile, baseDir: string): Promise<Comparison> {
  const modelIds = new Map<string, string>();
  for (const v of file.variants) {
    const path = resolve(baseDir, v.model);
    if (!modelIds.has(path)) {
      const model = await backend.api.openModel({ path });
      await backend.api.loadModel({ modelId: model.id });
      modelIds.set(path, model.id);
    }
  }
  const variants = file.variants.map((v, i) => {
    const r = resolveVariant(file, v, baseDir);
    return {
      id: v.id ?? String.fromCharCode(97 + i),
      label: v.label ?? v.id ?? `Variant ${String.fromCharCode(65 + i)}`,
      modelId: modelIds.get(resolve(baseDir, v.model))!,
      input: r.input,
      sampling: r.sampling,
      ...(r.constraint ? { constraint: r.constraint } : {}),
      ...(r.template ? { template: r.template } : {}),
      ...(r.extraction ? { extraction: r.extraction } : {}),
    };
  });
  const results = new Map<string, { result?: CompletionResult; error?: ComparisonRun['error'] }>();
  let expected = Infinity;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolveDone) => (finish = resolveDone));
  const off = backend.onEvent((e) => {
    if (e.type === 'run.end') results.set(e.runId, { result: e.result });
    else if (e.type === 'run.error') results.set(e.runId, { error: e.error });
    else return;
    if (results.size >= expected) finish();
  });
  const started = await backend.api.startComparison({
    spec: { name: file.name, variants, repeats: file.repeats, seed: file.seed, topProbabilities: file.probabilities },
  });
  expected = started.runs.length;
  if (results.size >= expected) finish();
  await finished;
  off();
  const spec = { name: file.name, variants: variants as Comparison['spec']['variants'], repeats: file.repeats, topProbabilities: file.probabilities };
  return {
    id: started.comparisonId,
    createdAt: Date.now(),
    name: file.name,
    spec,
    seed: started.seed,
    runs: started.runs.map((r) => ({ ...r, ...results.get(r.runId) })),
    verdict: { ratings: {}, winners: {}, notes: '' },
  };
}

/** The terminal view: each variant's outputs with metrics, agreement, and where the first two diverge. */
export function formatComparison(c: Comparison): string {
  const out: string[] = [`${c.name}: ${c.spec.variants.length} variants x ${c.spec.repeats} (seeds from ${c.seed})`];
  for (const v of c.spec.variants) {
    out.push('', `== ${v.label}`);
    const runs = c.runs.filter((r) => r.variantId === v.id);
    for (const run of runs) {
      const r = run.result;
      if (!r) {
        out.push(`#${run.repeat + 1} error: ${run.error?.message ?? 'no output'}`);
        continue;
      }
      out.push(
        `#${run.repeat + 1} seed ${run.seed}: ${r.metrics.generatedTokens} tokens, ${r.metrics.tokensPerSecond.toFixed(1)} tok/s, TTFT ${r.metrics.ttftMs.toFixed(0)} ms, ${r.finishReason}`,
        r.text,
      );
    }
    if (v.extraction && runs.length > 1) {
      const agreement = selfConsistency(runs.map((r) => r.result?.text ?? ''), v.extraction);
      out.push(`answers: ${agreement.answers.map((a) => a ?? '-').join(', ')}; majority ${agreement.majority ?? '-'} (${Math.round(agreement.agreement * 100)}% agree)`);
    }
  }
  const [a, b] = c.spec.variants.map((v) => c.runs.find((r) => r.variantId === v.id && r.repeat === 0)?.result);
  if (a && b) {
    const d = firstDivergence(a.steps, b.steps);
    out.push('', d ? `first divergence: token ${d.index + 1}, ${JSON.stringify(d.a?.text ?? '')} vs ${JSON.stringify(d.b?.text ?? '')}` : 'the first two variants are identical');
  }
  return out.join('\n') + '\n';
}

export { comparisonToMarkdown };
export const baseDirOf = (path: string) => dirname(resolve(path));
