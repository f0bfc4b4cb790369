// Probability checks: how sure the model is, from log-probabilities the runner measured.
//
// The runner forces each label at the answer position and records its tokens' log-probabilities
// (natural log), so a label's probability is exact, not estimated from samples: P(label) =
// exp(sum of its token log-probabilities). Pure functions here; measuring is the runner's job.
import type { CheckContext } from './context.js';
import type { Outcome } from './deterministic.js';
import type { Check } from './schema.js';

/** The probability of a forced token sequence: exp of the sum of its tokens' log-probabilities. */
export function sequenceProbability(tokenLogprobs: readonly number[]): number {
  return Math.exp(tokenLogprobs.reduce((s, x) => s + x, 0));
}

/**
 * The labels' probabilities renormalised over the label set (softmax of their sequence
 * log-probabilities), best first. Renormalising answers "which label does the model prefer",
 * independent of probability mass spent on text that is no label at all.
 */
export function labelDistribution(labelLogprobs: Record<string, readonly number[]>): { label: string; probability: number }[] {
  const entries = Object.entries(labelLogprobs).map(([label, lps]) => ({ label, lp: lps.reduce((s, x) => s + x, 0) }));
  if (entries.length === 0) return [];
  const top = Math.max(...entries.map((e) => e.lp));
  // subtract the largest before exponentiating so tiny probabilities do not all underflow to 0
  const weights = entries.map((e) => Math.exp(e.lp - top));
  const total = weights.reduce((s, w) => s + w, 0);
  return entries.map((e, i) => ({ label: e.label, probability: weights[i]! / total })).sort((a, b) => b.probability - a.probability);
}

/** The gap between the two most probable labels of a set (renormalised), 1 for a single label. */
export function labelMargin(labelLogprobs: Record<string, readonly number[]>): { best: string; second?: string; margin: number } | null {
  const dist = labelDistribution(labelLogprobs);
  if (dist.length === 0) return null;
  const [a, b] = dist;
  return { best: a!.label, ...(b ? { second: b.label } : {}), margin: a!.probability - (b?.probability ?? 0) };
}

/** Perplexity of a reference answer: exp(-mean token log-probability); 1 is certain, higher is more surprised. */
export function perplexity(tokenLogprobs: readonly number[]): number {
  if (tokenLogprobs.length === 0) return NaN;
  return Math.exp(-tokenLogprobs.reduce((s, x) => s + x, 0) / tokenLogprobs.length);
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

/** Grades a probability check; `skipped` when the runner supplied no log-probabilities for it. */
export function gradeProbability(base: string, check: Check, ctx: CheckContext): (Outcome & { skipped?: boolean }) | null {
  const probs = ctx.probabilities;
  const missing = (what: string) => ({ pass: false, score: 0, reason: `no ${what} were measured for this run`, skipped: true });
  switch (base) {
    case 'label-probability': {
      const label = typeof check.value === 'string' ? check.value : null;
      if (label === null) return { pass: false, score: 0, reason: 'the check needs the expected label as its value' };
      const lps = probs?.labelLogprobs?.[label];
      if (!lps) return missing(`log-probabilities for the label ${JSON.stringify(label)}`);
      const p = sequenceProbability(lps);
      const min = check.threshold ?? 0.5;
      return { pass: p >= min, score: p, reason: `P(${JSON.stringify(label)}) = ${pct(p)} (at least ${pct(min)} wanted)` };
    }
    case 'label-margin': {
      if (!probs?.labelLogprobs || Object.keys(probs.labelLogprobs).length === 0) return missing('label log-probabilities');
      const m = labelMargin(probs.labelLogprobs)!;
      const min = check.threshold ?? 0;
      const expected = typeof check.value === 'string' ? check.value : null;
      const rightLabel = expected === null || m.best === expected;
      const pass = rightLabel && m.margin >= min;
      const vs = m.second !== undefined ? ` over ${JSON.stringify(m.second)}` : '';
      const wrong = rightLabel ? '' : `, not the expected ${JSON.stringify(expected)}`;
      return { pass, score: rightLabel ? m.margin : 0, reason: `best label ${JSON.stringify(m.best)} leads by ${pct(m.margin)}${vs}${wrong} (margin of at least ${pct(min)} wanted)` };
    }
    case 'perplexity': {
      const lps = probs?.referenceLogprobs;
      if (!lps || lps.length === 0) return missing('reference-answer log-probabilities');
      const ppl = perplexity(lps);
      const max = check.threshold ?? Infinity;
      // score in 0..1: 1/perplexity is the geometric-mean probability of a reference token
      return { pass: ppl <= max, score: 1 / ppl, reason: `perplexity of the reference answer is ${ppl.toFixed(2)}${Number.isFinite(max) ? ` (at most ${max} wanted)` : ''}` };
    }
    default:
      return null;
  }
}
