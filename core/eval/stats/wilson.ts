// Pass rate with a Wilson score interval.
//
// Wilson (1927), not the textbook "p ± z·sqrt(p(1-p)/n)": the Wald interval collapses to zero width
// at 0% and 100% and undercovers for small n, which is exactly where prompt evaluations live
// (20-100 cases, pass rates near the ends). Newcombe (1998) compares seven methods and recommends
// Wilson's; the tests check its worked examples.
import { normalQuantile } from './distributions.js';

export interface Proportion {
  successes: number;
  n: number;
  /** successes / n (NaN when n = 0) */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
}

/** The two-sided normal quantile for a confidence level (1.959964 for 0.95). */
export function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be between 0 and 1');
  return normalQuantile(1 - (1 - confidence) / 2);
}

export function wilson(successes: number, n: number, confidence = 0.95): Proportion {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n) throw new RangeError('need whole numbers with 0 <= successes <= n');
  if (n === 0) return { successes, n, estimate: NaN, lower: 0, upper: 1, confidence };
  const z = zFor(confidence);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // at 0 and n the exact bound is 0 (or 1); rounding would leave -1e-17
  const lower = successes === 0 ? 0 : Math.max(0, centre - half);
  const upper = successes === n ? 1 : Math.min(1, centre + half);
  return { successes, n, estimate: p, lower, upper, confidence };
}

/** A variant's pass rate: passes of runs graded, with its Wilson interval. */
export function passRate(passes: readonly boolean[], confidence = 0.95): Proportion {
  return wilson(passes.filter(Boolean).length, passes.length, confidence);
}
