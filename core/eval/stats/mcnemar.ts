// McNemar's exact test for two variants graded on the same cases.
//
// Only discordant cases carry evidence (both pass or both fail says nothing about which is
// better). Under "no difference" each discordant case is a fair coin, so the exact test is the
// two-sided binomial test of b successes in b + c trials with p = 1/2: p = min(1, 2·P(X <= min(b, c))).
import { binomialHalfCdf } from './distributions.js';

export interface McNemar {
  /** cases where A passed and B failed */
  b: number;
  /** cases where A failed and B passed */
  c: number;
  /** two-sided exact p-value (1 when there is no discordant case) */
  p: number;
}

export function mcnemarExact(b: number, c: number): McNemar {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new RangeError('counts must be whole numbers >= 0');
  const n = b + c;
  if (n === 0) return { b, c, p: 1 };
  // symmetric distribution: doubling one tail is the same as summing all outcomes as unlikely as the one seen
  const p = Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
  return { b, c, p };
}
