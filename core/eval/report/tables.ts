// Reports: CSV (one row per run) and JSON (summary, pairs and runs).
import Papa from 'papaparse';
import { variablesOf } from '../dataset/schema.js';
import { cellPassed, summarize, type EvalResults, type EvalSummary } from '../results.js';

/** Failed checks of a run, as one line ("contains: the answer does not contain ..."). */
export function failedChecks(cell: EvalResults['cells'][number]): string {
  if (cell.error !== undefined) return `error: ${cell.error}`;
  return (cell.grade?.results ?? []).filter((r) => !r.pass && !r.skipped).map((r) => `${r.type}: ${r.reason}`).join('; ');
}

export function resultsToCsv(results: EvalResults): string {
  const variables = variablesOf(results.cases);
  const labels = new Map(results.variants.map((v) => [v.id, v.label]));
  const fields = ['case', 'description', ...variables, 'variant', 'repeat', 'pass', 'score', 'answer', 'output', 'failed checks', 'latency ms'];
  const data = results.cells.map((c) => {
    const tc = results.cases[c.caseIndex];
    return [
      c.caseIndex + 1,
      tc?.description ?? '',
      ...variables.map((v) => tc?.vars[v] ?? ''),
      labels.get(c.variantId) ?? c.variantId,
      c.repeat + 1,
      cellPassed(c) ? 'pass' : 'fail',
      c.grade ? c.grade.score.toFixed(3) : '',
      c.answer ?? '',
      c.output,
      failedChecks(c),
      c.latencyMs === undefined ? '' : Math.round(c.latencyMs),
    ];
  });
  // escapeFormulae: a model output starting with "=" must not run as a formula when the CSV is opened
  return Papa.unparse({ fields, data }, { newline: '\r\n', escapeFormulae: true }) + '\r\n';
}

/** Finite numbers only: JSON has no NaN, and null says "not measured" plainly. */
const num = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export function resultsToJson(results: EvalResults, summary: EvalSummary = summarize(results)): string {
  return JSON.stringify(
    {
      name: results.name,
      variants: summary.variants.map((v) => ({
        id: v.id,
        label: v.label,
        passed: v.passRate.successes,
        total: v.passRate.n,
        passRate: num(v.passRate.estimate),
        interval95: [num(v.passRate.lower), num(v.passRate.upper)],
        meanScore: num(v.meanScore),
        errors: v.errors,
        meanLatencyMs: num(v.meanLatencyMs),
        meanTokensPerSecond: num(v.meanTokensPerSecond),
        meanAgreement: num(v.meanAgreement),
      })),
      pairs: summary.pairs.map((p) => ({
        a: p.a,
        b: p.b,
        wins: p.wins,
        losses: p.losses,
        ties: p.ties,
        p: p.p,
        adjustedP: p.adjustedP,
        difference: num(p.difference.observed),
        interval95: [num(p.difference.lower), num(p.difference.upper)],
        verdict: p.verdict,
      })),
      cases: results.cases,
      runs: results.cells.map((c) => ({ ...c, pass: cellPassed(c) })),
    },
    null,
    2,
  );
}
