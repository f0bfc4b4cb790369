// Grading one run against its checks: each check's result, then the case's verdict.
//
// Scoring follows promptfoo so imported configs grade the same: the case score is the
// weight-averaged check score; without a threshold the case passes when every counted check
// passes; with a per-test `threshold` it passes when the score reaches it. A check of weight 0 is
// reported and never counts. A skipped check (unsupported type, no log-probabilities measured) is
// reported and never counts either: it is not evidence for or against the output.
import type { CheckContext } from './context.js';
import { gradeDeterministic, type Outcome } from './deterministic.js';
import { gradeJson } from './json.js';
import { gradeProbability } from './probability.js';
import { checkKind, type Check, type CheckResult } from './schema.js';

/**
 * Grades the checks pure code cannot (javascript in a worker, llm-rubric by a judge model); the
 * runner injects it. Returns the check's outcome before `not-` is applied.
 */
export type ExternalGrader = (check: Check, base: string, ctx: CheckContext) => Promise<Outcome & { skipped?: boolean }>;

export interface CaseGrade {
  pass: boolean;
  score: number;
  results: CheckResult[];
  /** the first failing counted check's reason, or a summary */
  reason: string;
}

/** Grades one check (negation and weight applied). */
export async function gradeCheck(check: Check, ctx: CheckContext, external?: ExternalGrader): Promise<CheckResult> {
  const { base, negated, supported } = checkKind(check.type);
  const weight = check.weight ?? 1;
  if (!supported) return { type: check.type, pass: false, score: 0, weight, skipped: true, reason: `${check.type} is not supported by Shotglass (kept for promptfoo)` };
  let outcome: (Outcome & { skipped?: boolean }) | null;
  if (base === 'is-json' || base === 'contains-json') outcome = gradeJson(base, check, ctx);
  else outcome = gradeDeterministic(base, check, ctx) ?? gradeProbability(base, check, ctx);
  if (!outcome) {
    if (!external) return { type: check.type, pass: false, score: 0, weight, skipped: true, reason: `${base} checks are graded by the runner, which was not given here` };
    try {
      outcome = await external(check, base, ctx);
    } catch (error) {
      outcome = { pass: false, score: 0, reason: `${base} check failed to run: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  if (outcome.skipped) return { type: check.type, pass: false, score: 0, weight, skipped: true, reason: outcome.reason };
  const pass = negated ? !outcome.pass : outcome.pass;
  // a negated check's score is the complement (a 0.8-similar text scores 0.2 on not-similar)
  const score = negated ? 1 - outcome.score : outcome.score;
  return { type: check.type, pass, score, weight, reason: negated ? `${pass ? 'passes' : 'fails'} not-${base}: ${outcome.reason}` : outcome.reason };
}

export async function gradeCase(checks: readonly Check[], ctx: CheckContext, options: { threshold?: number; external?: ExternalGrader } = {}): Promise<CaseGrade> {
  const results: CheckResult[] = [];
  for (const c of checks) results.push(await gradeCheck(c, ctx, options.external));
  return combine(results, options.threshold);
}

/** The case verdict from its check results (pure, so a UI can recombine after a weight changes). */
export function combine(results: CheckResult[], threshold?: number): CaseGrade {
  const counted = results.filter((r) => !r.skipped && r.weight > 0);
  const totalWeight = counted.reduce((s, r) => s + r.weight, 0);
  // no counted check: the output is judged on nothing, which we call a pass with score 1 (as promptfoo does)
  const score = totalWeight > 0 ? counted.reduce((s, r) => s + r.weight * r.score, 0) / totalWeight : 1;
  const failed = counted.find((r) => !r.pass);
  if (threshold !== undefined) {
    const pass = score >= threshold;
    return { pass, score, results, reason: `score ${score.toFixed(2)} ${pass ? 'reaches' : 'is below'} the threshold ${threshold}` };
  }
  const pass = failed === undefined;
  const reason = failed ? failed.reason : counted.length ? `all ${counted.length} check${counted.length === 1 ? '' : 's'} passed` : 'no checks';
  return { pass, score, results, reason };
}
