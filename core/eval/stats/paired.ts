// Two variants on the same cases, and every pair of N variants with Holm's correction.
//
// Each case's value for a variant is in 0..1: 1/0 for pass/fail, or the fraction of its repeats
// that passed. A case is a win for B when B's value is higher, a loss when lower, a tie when equal.
// McNemar's exact test on wins and losses (for 0/1 values these are exactly its discordant pairs;
// with repeats it is the sign test, McNemar's test generalised).
import { pairedBootstrap, type BootstrapInterval } from './bootstrap.js';
import { holm } from './holm.js';
import { mcnemarExact } from './mcnemar.js';
import { verdict } from './verdict.js';

export interface PairComparison {
  a: string;
  b: string;
  cases: number;
  /** cases where B did better than A */
  wins: number;
  losses: number;
  ties: number;
  /** McNemar's exact two-sided p-value */
  p: number;
  /** p after Holm's correction over all pairs compared together (= p for a single pair) */
  adjustedP: number;
  /** B minus A, in pass-rate units (0.18 = 18 points) */
  difference: BootstrapInterval;
  /** "B is better: +18 points, 95% CI +6 to +30" */
  verdict: string;
}

export interface PairOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
  alpha?: number;
}

export function comparePair(aLabel: string, a: readonly number[], bLabel: string, b: readonly number[], options: PairOptions = {}): PairComparison {
  if (a.length !== b.length) throw new RangeError('both variants need a value for every case');
  let wins = 0;
  let losses = 0;
  for (let i = 0; i < a.length; i++) {
    if (b[i]! > a[i]!) wins++;
    else if (b[i]! < a[i]!) losses++;
  }
  const test = mcnemarExact(losses, wins);
  const difference = pairedBootstrap(a, b, options);
  const base = { a: aLabel, b: bLabel, cases: a.length, wins, losses, ties: a.length - wins - losses, p: test.p, adjustedP: test.p, difference };
  return { ...base, verdict: verdict(base, differencesOf(a, b), options.alpha) };
}

const differencesOf = (a: readonly number[], b: readonly number[]) => a.map((x, i) => b[i]! - x);

/** Every pair (i < j) of the variants, p-values Holm-adjusted together when there are more than two variants. */
export function compareAll(variants: readonly { label: string; values: readonly number[] }[], options: PairOptions = {}): PairComparison[] {
  const pairs: { pair: PairComparison; i: number; j: number }[] = [];
  for (let i = 0; i < variants.length; i++)
    for (let j = i + 1; j < variants.length; j++) pairs.push({ pair: comparePair(variants[i]!.label, variants[i]!.values, variants[j]!.label, variants[j]!.values, options), i, j });
  if (pairs.length < 2) return pairs.map((p) => p.pair);
  const adjusted = holm(pairs.map((p) => p.pair.p));
  return pairs.map(({ pair, i, j }, k) => {
    const withAdjusted = { ...pair, adjustedP: adjusted[k]! };
    return { ...withAdjusted, verdict: verdict(withAdjusted, differencesOf(variants[i]!.values, variants[j]!.values), options.alpha) };
  });
}
