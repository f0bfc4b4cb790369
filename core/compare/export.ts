// A comparison as Markdown (for a pull request or a report), JSON and CSV. Every format keeps the
// verdict (overall winner, each repeat's winner, ratings, notes) and marks special tokens.
import type { Comparison, ComparisonRun } from '../api/contract.js';
import { firstDivergence } from './divergence.js';
import { hasSpecialTokens, outputWithSpecialTokens, SPECIAL_TOKENS_NOTE } from './special-tokens.js';

const label = (c: Comparison, variantId: string) => c.spec.variants.find((v) => v.id === variantId)?.label ?? variantId;

function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

/** The run's output with its special tokens marked (they have no text of their own). */
const outputOf = (run: ComparisonRun) => (run.result ? outputWithSpecialTokens(run.result.text, run.result.steps) : '');

/** Whether this run won its repeat (the verdict's per-repeat winners). */
const wonRepeat = (c: Comparison, run: ComparisonRun) => c.verdict.winners[String(run.repeat)] === run.variantId;

function ratingWords(c: Comparison, run: ComparisonRun): string {
  const r = c.verdict.ratings[run.runId];
  if (!r) return '';
  return [r.thumb === 1 ? '👍' : r.thumb === -1 ? '👎' : '', r.stars ? '★'.repeat(r.stars) : ''].filter(Boolean).join(' ');
}

export function comparisonToMarkdown(c: Comparison): string {
  const lines: string[] = [`# ${c.name}`, ''];
  lines.push(`${c.spec.variants.length} variants × ${c.spec.repeats} repeat${c.spec.repeats > 1 ? 's' : ''}, seeds from ${c.seed}.`);
  if (c.verdict.winner) lines.push(`**Winner: ${label(c, c.verdict.winner)}**`);
  const repeatWinners = Object.entries(c.verdict.winners).sort(([a], [b]) => Number(a) - Number(b));
  if (repeatWinners.length) {
    const words = repeatWinners.map(([repeat, id]) => (c.spec.repeats > 1 ? `#${Number(repeat) + 1} ${label(c, id)}` : label(c, id)));
    lines.push(`${c.spec.repeats > 1 ? 'Winners by repeat' : 'Picked'}: ${words.join(', ')}.`);
  }
  if (!c.verdict.winner && !repeatWinners.length) lines.push('No winner picked.');
  lines.push('', '| variant | model | temperature | seed | tokens | tok/s | TTFT ms | finish | rating | winner |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const run of c.runs) {
    const r = run.result;
    const variant = c.spec.variants.find((v) => v.id === run.variantId);
    lines.push(
      `| ${cell(label(c, run.variantId))}${c.spec.repeats > 1 ? ` #${run.repeat + 1}` : ''} | ${cell(r?.record.model.fileName ?? '')} | ${variant?.sampling.temperature ?? ''} | ${run.seed} | ${r?.metrics.generatedTokens ?? ''} | ${r ? r.metrics.tokensPerSecond.toFixed(1) : ''} | ${r ? r.metrics.ttftMs.toFixed(0) : ''} | ${r?.finishReason ?? run.error?.message ?? ''} | ${ratingWords(c, run)} | ${wonRepeat(c, run) ? '🏆' : ''} |`,
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
      lines.push(run.result ? fence(outputOf(run)) : `_${run.error?.message ?? 'no output'}_`, '');
    }
  }
  if (c.runs.some((r) => r.result && hasSpecialTokens(r.result.steps))) lines.push('', `_${SPECIAL_TOKENS_NOTE}_`, '');
  lines.push('## Notes', '', c.verdict.notes.trim() ? c.verdict.notes : '_No notes._', '');
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
  // winner: this run won its repeat; overall_winner: its variant is the comparison's winner.
  // notes: the verdict's notes, on the first row only. output: special tokens marked ⟦…⟧.
  const header = ['variant', 'label', 'repeat', 'seed', 'model', 'temperature', 'prompt_tokens', 'generated_tokens', 'ttft_ms', 'tokens_per_second', 'finish_reason', 'thumb', 'stars', 'winner', 'overall_winner', 'notes', 'output'];
  const rows = c.runs.map((run, index) => {
    const r = run.result;
    const variant = c.spec.variants.find((v) => v.id === run.variantId);
    const rating = c.verdict.ratings[run.runId];
    return [
      run.variantId, label(c, run.variantId), run.repeat + 1, run.seed, r?.record.model.fileName, variant?.sampling.temperature,
      r?.metrics.promptTokens, r?.metrics.generatedTokens, r?.metrics.ttftMs.toFixed(1), r?.metrics.tokensPerSecond.toFixed(2),
      r?.finishReason ?? run.error?.code, rating?.thumb, rating?.stars, wonRepeat(c, run) ? 'yes' : '', c.verdict.winner === run.variantId ? 'yes' : '',
      index === 0 ? c.verdict.notes : '', outputOf(run),
    ].map(csvField).join(',');
  });
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}
