// A comparison as Markdown (for a pull request or a report), JSON and CSV.
import type { Comparison, ComparisonRun } from '../api/contract.js';
import { firstDivergence } from './divergence.js';

const label = (c: Comparison, variantId: string) => c.spec.variants.find((v) => v.id === variantId)?.label ?? variantId;

function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

function ratingWords(c: Comparison, run: ComparisonRun): string {
  const r = c.verdict.ratings[run.runId];
  if (!r) return '';
  return [r.thumb === 1 ? '👍' : r.thumb === -1 ? '👎' : '', r.stars ? '★'.repeat(r.stars) : ''].filter(Boolean).join(' ');
}

export function comparisonToMarkdown(c: Comparison): string {
  const lines: string[] = [`# ${c.name}`, ''];
  lines.push(`${c.spec.variants.length} variants × ${c.spec.repeats} repeat${c.spec.repeats > 1 ? 's' : ''}, seeds from ${c.seed}.`);
  if (c.verdict.winner) lines.push(`**Winner: ${label(c, c.verdict.winner)}**`);
  lines.push('', '| variant | model | temperature | seed | tokens | tok/s | TTFT ms | finish | rating |', '|---|---|---|---|---|---|---|---|---|');
  for (const run of c.runs) {
    const r = run.result;
    const variant = c.spec.variants.find((v) => v.id === run.variantId);
    lines.push(
      `| ${cell(label(c, run.variantId))}${c.spec.repeats > 1 ? ` #${run.repeat + 1}` : ''} | ${cell(r?.record.model.fileName ?? '')} | ${variant?.sampling.temperature ?? ''} | ${run.seed} | ${r?.metrics.generatedTokens ?? ''} | ${r ? r.metrics.tokensPerSecond.toFixed(1) : ''} | ${r ? r.metrics.ttftMs.toFixed(0) : ''} | ${r?.finishReason ?? run.error?.message ?? ''} | ${ratingWords(c, run)} |`,
    );
  }
  const firsts = c.spec.variants.map((v) => c.runs.find((r) => r.variantId === v.id && r.repeat === 0));
  const [a, b] = firsts;
  if (a?.result && b?.result) {
    const d = firstDivergence(a.result.steps, b.result.steps);
    lines.push('', d ? `First divergence between ${label(c, a.variantId)} and ${label(c, b.variantId)}: token ${d.index + 1} (${JSON.stringify(d.a?.text ?? '')} vs ${JSON.stringify(d.b?.text ?? '')}).` : `${label(c, a.variantId)} and ${label(c, b.variantId)} are identical.`);
  }
  for (const variant of c.spec.variants) {
    lines.push('', `## ${variant.label}`, '');
    const prompt = variant.input.mode === 'completion' ? variant.input.text : variant.input.messages.map((m) => `[${m.role}] ${m.content}`).join('\n');
    lines.push('Prompt:', '', fence(prompt), '');
    for (const run of c.runs.filter((r) => r.variantId === variant.id)) {
      if (c.spec.repeats > 1) lines.push(`Output #${run.repeat + 1} (seed ${run.seed}):`, '');
      else lines.push('Output:', '');
      lines.push(run.result ? fence(run.result.text) : `_${run.error?.message ?? 'no output'}_`, '');
    }
  }
  if (c.verdict.notes) lines.push('## Notes', '', c.verdict.notes, '');
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

export function comparisonToJson(c: Comparison): string {
  return JSON.stringify(c, null, 2) + '\n';
}

const csvField = (value: unknown) => {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function comparisonToCsv(c: Comparison): string {
  const header = ['variant', 'label', 'repeat', 'seed', 'model', 'temperature', 'prompt_tokens', 'generated_tokens', 'ttft_ms', 'tokens_per_second', 'finish_reason', 'thumb', 'stars', 'winner', 'output'];
  const rows = c.runs.map((run) => {
    const r = run.result;
    const variant = c.spec.variants.find((v) => v.id === run.variantId);
    const rating = c.verdict.ratings[run.runId];
    return [
      run.variantId, label(c, run.variantId), run.repeat + 1, run.seed, r?.record.model.fileName, variant?.sampling.temperature,
      r?.metrics.promptTokens, r?.metrics.generatedTokens, r?.metrics.ttftMs.toFixed(1), r?.metrics.tokensPerSecond.toFixed(2),
      r?.finishReason ?? run.error?.code, rating?.thumb, rating?.stars, c.verdict.winner === run.variantId ? 'yes' : '', r?.text ?? '',
    ].map(csvField).join(',');
  });
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}
