// The plain-words verdict on a pair of variants.
import type { BootstrapInterval } from './bootstrap.js';
import { zFor } from './wilson.js';

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(Math.round(x * 100))}`;

/**
 * How many cases in all a paired comparison needs to tell a difference of the size observed, at
 * two-sided level alpha with 80% power: n = ((z_{1-alpha/2} + z_{0.8}) · sd / d)², where d is the
 * observed mean difference per case and sd the standard deviation of the per-case differences.
 * This is the normal-approximation sample size for a paired test (for 0/1 outcomes sd² = ψ − d²,
 * ψ the discordant fraction, which is the McNemar sample size of Connor 1987 up to the variance
 * under the null). It assumes the difference stays what we saw, which is what a user asking "how
 * many more?" means; a smaller true difference would need more. Null when nothing differs.
 */
export function casesNeeded(differences: readonly number[], alpha = 0.05, power = 0.8): number | null {
  const n = differences.length;
  if (n < 2) return null;
  const d = differences.reduce((s, x) => s + x, 0) / n;
  if (d === 0) return null;
  const variance = differences.reduce((s, x) => s + (x - d) ** 2, 0) / (n - 1);
  const z = zFor(1 - alpha) + zFor(2 * power - 1);
  return Math.ceil((z * z * variance) / (d * d));
}

export function verdict(
  pair: { a: string; b: string; cases: number; wins: number; losses: number; adjustedP: number; difference: BootstrapInterval },
  differences: readonly number[],
  alpha = 0.05,
): string {
  const { a, b, difference: d } = pair;
  if (pair.cases === 0) return 'no cases to compare';
  if (pair.wins === 0 && pair.losses === 0) return `not distinguishable: ${a} and ${b} agree on all ${pair.cases} cases`;
  const ci = `${Math.round(d.confidence * 100)}% CI ${points(d.lower)} to ${points(d.upper)}`;
  // better only when the exact test (Holm-adjusted) and the interval both say so; they can disagree
  // near the edge, and then we do not claim a winner
  const separated = d.lower > 0 || d.upper < 0;
  if (pair.adjustedP < alpha && separated) {
    const [winner, diff] = d.observed > 0 ? [b, d.observed] : [a, -d.observed];
    const shown = d.observed > 0 ? ci : `${Math.round(d.confidence * 100)}% CI ${points(-d.upper)} to ${points(-d.lower)}`;
    return `${winner} is better: ${points(diff)} points, ${shown}`;
  }
  const needed = casesNeeded(differences, alpha);
  if (needed === null) return `not distinguishable yet: no difference on average over ${pair.cases} cases (${ci})`;
  const more = Math.max(needed - pair.cases, 1);
  return `not distinguishable yet: about ${more} more cases needed (${points(d.observed)} points so far, ${ci})`;
}
