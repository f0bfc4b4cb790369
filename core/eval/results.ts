// An evaluation's results as the reports and statistics read them, and the per-variant summary.
// The runner fills `cells` (one per variant × case × repeat); everything here is derived.
import type { CaseGrade } from './checks/grade.js';
import type { TestCase } from './dataset/schema.js';
import { compareAll, type PairComparison, type PairOptions } from './stats/paired.js';
import { agreement } from './stats/repeats.js';
import { wilson, type Proportion } from './stats/wilson.js';

export interface EvalCell {
  variantId: string;
  caseIndex: number;
  repeat: number;
  output: string;
  answer: string | null;
  /** absent when the run failed (then `error` says why) */
  grade?: CaseGrade;
  error?: string;
  latencyMs?: number;
  tokensPerSecond?: number;
}

export interface EvalResults {
  name: string;
  variants: { id: string; label: string }[];
  cases: TestCase[];
  cells: EvalCell[];
}

export interface VariantSummary {
  id: string;
  label: string;
  /** over runs (cases × repeats); a run that errored counts as failed */
  passRate: Proportion;
  meanScore: number;
  errors: number;
  meanLatencyMs: number | null;
  meanTokensPerSecond: number | null;
  /** per case: the fraction of its repeats that passed (what the paired statistics compare) */
  caseValues: number[];
  /** mean over cases of how many repeats agree with the case's majority outcome (1 without repeats) */
  meanAgreement: number;
}

export interface EvalSummary {
  variants: VariantSummary[];
  pairs: PairComparison[];
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/** A case's runs of one variant passed? (a run without a grade, i.e. an error, is a failure) */
export const cellPassed = (c: EvalCell) => c.grade?.pass === true;

export function summarize(results: EvalResults, options: PairOptions = {}): EvalSummary {
  const byVariant = new Map<string, EvalCell[][]>();
  for (const v of results.variants) byVariant.set(v.id, results.cases.map(() => []));
  for (const cell of results.cells) byVariant.get(cell.variantId)?.[cell.caseIndex]?.push(cell);
  const variants = results.variants.map((v) => {
    const perCase = byVariant.get(v.id)!;
    const runs = perCase.flat();
    const passes = runs.filter(cellPassed).length;
    const caseValues = perCase.map((cells) => (cells.length ? cells.filter(cellPassed).length / cells.length : 0));
    const agreements = perCase.filter((cells) => cells.length).map((cells) => agreement(cells.map(cellPassed)).agreement);
    return {
      id: v.id,
      label: v.label,
      passRate: wilson(passes, runs.length),
      meanScore: mean(runs.map((c) => c.grade?.score ?? 0)) ?? NaN,
      errors: runs.filter((c) => c.error !== undefined).length,
      meanLatencyMs: mean(runs.flatMap((c) => (c.latencyMs === undefined ? [] : [c.latencyMs]))),
      meanTokensPerSecond: mean(runs.flatMap((c) => (c.tokensPerSecond === undefined ? [] : [c.tokensPerSecond]))),
      caseValues,
      meanAgreement: mean(agreements) ?? NaN,
    };
  });
  const pairs = compareAll(variants.map((v) => ({ label: v.label, values: v.caseValues })), options);
  return { variants, pairs };
}
