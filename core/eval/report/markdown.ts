// The Markdown report: per-variant pass rates with intervals, the pairwise verdicts, plots (as
// image references the caller renders and saves beside the report) and the failing cases.
import { summarize, type EvalResults, type EvalSummary } from '../results.js';
import { failedChecks } from './tables.js';

/** The plots a full report shows; the chart renderer writes `${name}.png` beside the Markdown. */
export const REPORT_PLOTS = [
  { name: 'pass-rate', title: 'Pass rate per variant (95% Wilson interval)' },
  { name: 'score-distribution', title: 'Score distribution' },
  { name: 'head-to-head', title: 'Head to head' },
] as const;

/** Markdown table cell: pipes escaped, newlines as spaces, long text cut. */
export function cell(text: string, max = 120): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
const pval = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));

export function resultsToMarkdown(results: EvalResults, options: { imageDir?: string; maxFailures?: number } = {}, summary: EvalSummary = summarize(results)): string {
  const { imageDir = '.', maxFailures = 50 } = options;
  const out: string[] = [`# ${cell(results.name, 200)}`, '', `${results.cases.length} cases × ${results.variants.length} variant${results.variants.length === 1 ? '' : 's'}`, ''];
  out.push('| Variant | Passed | Pass rate | 95% CI | Mean score | Errors |', '| --- | ---: | ---: | --- | ---: | ---: |');
  for (const v of summary.variants)
    out.push(`| ${cell(v.label)} | ${v.passRate.successes}/${v.passRate.n} | ${pct(v.passRate.estimate)} | ${pct(v.passRate.lower)} – ${pct(v.passRate.upper)} | ${Number.isFinite(v.meanScore) ? v.meanScore.toFixed(2) : '–'} | ${v.errors} |`);
  if (summary.pairs.length) {
    out.push('', '## Comparisons', '');
    if (summary.pairs.length > 1) out.push('p-values are Holm-adjusted over all pairs.', '');
    out.push('| A | B | B wins | B loses | Ties | p (McNemar exact) | Verdict |', '| --- | --- | ---: | ---: | ---: | ---: | --- |');
    for (const p of summary.pairs) out.push(`| ${cell(p.a)} | ${cell(p.b)} | ${p.wins} | ${p.losses} | ${p.ties} | ${pval(p.adjustedP)} | ${cell(p.verdict, 200)} |`);
  }
  out.push('', '## Plots', '');
  for (const plot of REPORT_PLOTS) out.push(`![${plot.title}](${imageDir}/${plot.name}.png)`, '');
  const failures = results.cells.filter((c) => c.grade?.pass !== true);
  if (failures.length) {
    out.push('## Failures', '', '| Case | Variant | Answer | Why |', '| ---: | --- | --- | --- |');
    const labels = new Map(results.variants.map((v) => [v.id, v.label]));
    for (const c of failures.slice(0, maxFailures)) {
      const desc = results.cases[c.caseIndex]?.description;
      out.push(`| ${c.caseIndex + 1}${desc ? ` ${cell(desc, 40)}` : ''} | ${cell(labels.get(c.variantId) ?? c.variantId)} | ${cell(c.answer ?? '(none)', 60)} | ${cell(failedChecks(c) || (c.grade?.reason ?? ''))} |`);
    }
    if (failures.length > maxFailures) out.push('', `… and ${failures.length - maxFailures} more.`);
  }
  return out.join('\n') + '\n';
}
