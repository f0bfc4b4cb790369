import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  agreement,
  casesNeeded,
  compareAll,
  comparePair,
  holm,
  mcnemarExact,
  binomialHalfCdf,
  normalQuantile,
  pairedBootstrap,
  passAtK,
  passHatK,
  wilson,
  zFor,
} from '../../../core/eval/index.js';

describe('Wilson interval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3
  test.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe 1998: %f to %f', (s, n, lower, upper) => {
    const w = wilson(s, n);
    expect(w.lower).toBeCloseTo(lower, 4);
    expect(w.upper).toBeCloseTo(upper, 4);
    expect(w.estimate).toBe(s / n);
  });

  test('uses the exact normal quantile (1.959964 for 95%)', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 6);
    expect(zFor(0.99)).toBeCloseTo(2.575829, 6);
  });

  // reference quantiles (R's qnorm, to 12 digits); Acklam's approximation is good to ~1e-9 relative
  test.each([
    [0.975, 1.959963984540054],
    [0.995, 2.575829303548901],
    [0.9, 1.281551565544601],
    [0.8, 0.8416212335729143],
    [0.999, 3.090232306167813],
    [1e-6, -4.753424308822899],
    [0.5, 0],
  ])('normal quantile at %f', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(2e-9 * Math.max(1, Math.abs(z)));
  });

  test('all passing still leaves room below 100% (unlike the Wald interval)', () => {
    const w = wilson(20, 20);
    expect(w.upper).toBe(1);
    expect(w.lower).toBeCloseTo(0.8389, 4); // = 1 - upper bound of 0/20
  });

  test('n = 0 says nothing: the whole range', () => {
    expect(wilson(0, 0)).toMatchObject({ lower: 0, upper: 1 });
    expect(() => wilson(3, 2)).toThrow(RangeError);
  });

  test('property: the interval contains the estimate and stays in [0, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const s = Math.round(f * n);
        const w = wilson(s, n);
        return w.lower <= w.estimate + 1e-12 && w.estimate <= w.upper + 1e-12 && w.lower >= 0 && w.upper <= 1;
      }),
    );
  });

  test('property: the interval narrows as n grows at the same rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 2, max: 20 }), (n, k, factor) => {
        const s = Math.min(k, n);
        const small = wilson(s, n);
        const big = wilson(s * factor, n * factor);
        return big.upper - big.lower < small.upper - small.lower;
      }),
    );
  });
});

/** Two-sided exact binomial p-value at 1/2 with BigInt arithmetic: an independent reference. */
function exactReference(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  let term = 1n;
  let tail = 1n; // C(n, 0)
  for (let i = 1; i <= k; i++) {
    term = (term * BigInt(n - i + 1)) / BigInt(i);
    tail += term;
  }
  const p = (2 * Number((tail * 10n ** 18n) / 2n ** BigInt(n))) / 1e18;
  return Math.min(1, p);
}

describe("McNemar's exact test", () => {
  test('Bentur et al. data in Fagerland, Lydersen & Laake (2013): b = 1, c = 7 gives p = 0.070', () => {
    expect(mcnemarExact(1, 7).p).toBeCloseTo(0.0703125, 7);
  });

  test('small tables by hand: 0 vs 5 gives 2/32; 2 vs 8 gives 112/1024; equal counts give 1', () => {
    expect(mcnemarExact(0, 5).p).toBeCloseTo(2 / 32, 12);
    expect(mcnemarExact(2, 8).p).toBeCloseTo(112 / 1024, 12);
    expect(mcnemarExact(6, 6).p).toBe(1);
    expect(mcnemarExact(0, 0).p).toBe(1);
  });

  test('large tables agree with exact integer arithmetic (Wikipedia example: 121 vs 59)', () => {
    for (const [b, c] of [[121, 59], [40, 60], [300, 350]] as const) {
      const p = mcnemarExact(b, c).p;
      expect(Math.abs(p - exactReference(b, c)) / exactReference(b, c)).toBeLessThan(1e-9);
    }
    expect(mcnemarExact(121, 59).p).toBeLessThan(1e-5);
  });

  test('the binomial tail at 1/2 matches exact integer arithmetic up to n = 20000', () => {
    for (const [k, n] of [[0, 1], [3, 10], [450, 1000], [9800, 20000]] as const) {
      const want = exactReference(k, n - k) / 2;
      expect(Math.abs(binomialHalfCdf(k, n) - want) / want).toBeLessThan(1e-9);
    }
    expect(binomialHalfCdf(-1, 5)).toBe(0);
    expect(binomialHalfCdf(5, 5)).toBe(1);
  });

  test('property: symmetric in b and c', () => {
    fc.assert(fc.property(fc.nat(300), fc.nat(300), (b, c) => Math.abs(mcnemarExact(b, c).p - mcnemarExact(c, b).p) < 1e-12));
  });
});

describe('Holm correction', () => {
  test("matches R's p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm')", () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((want, i) => expect(adjusted[i]).toBeCloseTo(want, 12));
  });

  test('property: never below the raw p-value, never above 1', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }), (ps) => holm(ps).every((q, i) => q >= ps[i]! && q <= 1)));
  });
});

describe('paired bootstrap', () => {
  test('the same seed gives the same interval; another seed a slightly different one', () => {
    const a = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const b = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    expect(pairedBootstrap(a, b, { seed: 7 })).toEqual(pairedBootstrap(a, b, { seed: 7 }));
    expect(pairedBootstrap(a, b, { seed: 8 })).not.toEqual(pairedBootstrap(a, b, { seed: 7 }));
  });

  test('property: centred on the observed difference, which the interval contains', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 1)), { minLength: 10, maxLength: 80 }), fc.nat(), (pairs, seed) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const r = pairedBootstrap(a, b, { seed, resamples: 1000 });
        // the resampled mean's standard error is at most 1/sqrt(n); its mean over 1000 resamples is within ~4 SE/sqrt(1000)
        const tolerance = 4 / Math.sqrt(a.length) / Math.sqrt(1000) + 1e-12;
        return Math.abs(r.centre - r.observed) <= tolerance && r.lower <= r.observed + 1e-12 && r.observed <= r.upper + 1e-12;
      }),
      { numRuns: 60 },
    );
  });

  test('a constant difference has a zero-width interval at that difference', () => {
    const r = pairedBootstrap([0, 0, 1, 0], [1, 1, 1, 1].map((x, i) => (i === 2 ? 1 : x)));
    expect(r.observed).toBe(0.75);
    const same = pairedBootstrap([0, 0, 0], [1, 1, 1]);
    expect([same.lower, same.upper]).toEqual([1, 1]);
  });
});

describe('pair comparison and verdict', () => {
  // A passes every third case; B passes those and every fifth as well: 6 wins, no loss
  const a = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const b = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 || i % 5 === 0 ? 1 : 0));

  test('wins, losses, ties and the exact p-value', () => {
    const pair = comparePair('A', a, 'B', b);
    expect(pair).toMatchObject({ wins: 6, losses: 0, ties: 44, p: 2 / 64 });
    expect(pair.difference.observed).toBeCloseTo(0.12, 12);
    expect(pair.verdict).toMatch(/^B is better: \+12 points, 95% CI \+\d+ to \+\d+$/);
  });

  test('the verdict names A when A is better, with the interval turned round', () => {
    expect(comparePair('A', b, 'B', a).verdict).toMatch(/^A is better: \+12 points, 95% CI \+\d+ to \+\d+$/);
  });

  test('too few cases: not distinguishable yet, with an estimate of how many more', () => {
    const pair = comparePair('A', [1, 0, 0, 1, 0, 1], 'B', [1, 1, 0, 1, 1, 0]);
    expect(pair.verdict).toMatch(/^not distinguishable yet: about \d+ more cases needed/);
    const needed = casesNeeded([0, 1, 0, 0, 1, -1]);
    expect(pair.verdict).toContain(`about ${needed! - 6} more cases`);
  });

  test('cases needed: (1.96 + 0.84)² · sd² / d², the paired-test sample size', () => {
    // differences: +1 ×3, 0 ×7 → d = 0.3, sd² = (3·0.49 + 7·0.09)/9 = 0.2333
    const diffs = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const z = 1.959964 + 0.841621;
    expect(casesNeeded(diffs)).toBe(Math.ceil((z * z * (2.1 / 9)) / 0.09));
    expect(casesNeeded([0, 0, 0])).toBeNull();
  });

  test('identical variants: not distinguishable, they agree on every case', () => {
    expect(comparePair('A', a, 'B', a).verdict).toBe('not distinguishable: A and B agree on all 50 cases');
  });

  test('three variants: every pair, Holm-adjusted', () => {
    const c = a.map(() => 1);
    const pairs = compareAll([
      { label: 'A', values: a },
      { label: 'B', values: b },
      { label: 'C', values: c },
    ]);
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['A-B', 'A-C', 'B-C']);
    const adjusted = holm(pairs.map((p) => p.p));
    pairs.forEach((p, i) => expect(p.adjustedP).toBe(adjusted[i]));
    // smallest p (A-C, 33 wins) × 3, next (B-C, 27 wins) × 2, largest (A-B, 1/32) × 1
    expect(pairs[1]!.adjustedP).toBeCloseTo(3 * pairs[1]!.p, 20);
    expect(pairs[2]!.adjustedP).toBeCloseTo(2 * pairs[2]!.p, 20);
    expect(pairs[0]!.adjustedP).toBe(1 / 32);
  });
});

test('variants with the same label are still compared on their own values', () => {
  const pairs = compareAll([
    { label: 'same', values: [0, 0, 0, 0, 0, 0] },
    { label: 'same', values: [1, 1, 1, 1, 1, 1] },
    { label: 'other', values: [0, 0, 0, 0, 0, 0] },
  ]);
  expect(pairs.map((p) => p.difference.observed)).toEqual([1, 0, -1]);
});

describe('repeats', () => {
  test('pass@k: unbiased estimator, worked values', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    // 1 - C(7,5)/C(10,5) = 1 - 21/252
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    expect(passAtK(5, 0, 3)).toBe(0);
    expect(passAtK(5, 3, 3)).toBe(1); // only 2 failures: any 3 runs include a pass
  });

  test('pass^k: all k pass, C(c,k)/C(n,k)', () => {
    expect(passHatK(10, 7, 1)).toBeCloseTo(0.7, 12);
    expect(passHatK(10, 7, 3)).toBeCloseTo(35 / 120, 12);
    expect(passHatK(10, 2, 3)).toBe(0);
  });

  test('property: pass@k rises and pass^k falls with k; both equal c/n at k = 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), (n, cc) => {
        const c = cc % (n + 1);
        for (let k = 1; k < n; k++) {
          if (passAtK(n, c, k + 1) < passAtK(n, c, k) - 1e-12) return false;
          if (passHatK(n, c, k + 1) > passHatK(n, c, k) + 1e-12) return false;
        }
        return Math.abs(passAtK(n, c, 1) - c / n) < 1e-9 && Math.abs(passHatK(n, c, 1) - c / n) < 1e-9;
      }),
    );
  });

  test('agreement: majority and its share, first seen wins a tie', () => {
    expect(agreement(['Positive', 'Negative', 'Positive'])).toMatchObject({ majority: 'Positive', agreement: 2 / 3 });
    expect(agreement([true, false])).toMatchObject({ majority: true, agreement: 0.5 });
  });
});
