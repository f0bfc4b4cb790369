// The two distribution functions the statistics need, written here on purpose:
//
// - The libraries weighed: simple-statistics' probit is off in the third decimal (1.9572 for
//   0.975, where 1.959964 is right: enough to miss published Wilson bounds); jstat has not been
//   released since 2022 and has no types; stdlib's modules are exact but the two we need pull in
//   220 packages (25 MB). Both functions are short, and the tests pin them to reference values
//   (normal quantiles to 9 digits; binomial tails to exact BigInt arithmetic).

// Acklam's rational approximation of the normal quantile (relative error < 1.15e-9 over (0, 1)):
// P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function".
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** The standard normal quantile: z with P(Z <= z) = p. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be between 0 and 1');
  const [a1, a2, a3, a4, a5, a6] = A as [number, number, number, number, number, number];
  const [b1, b2, b3, b4, b5] = B as [number, number, number, number, number];
  const [c1, c2, c3, c4, c5, c6] = C as [number, number, number, number, number, number];
  const [d1, d2, d3, d4] = D as [number, number, number, number];
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) / (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
}

/**
 * P(X <= k) for X ~ Binomial(n, 1/2). Up to n = 1000 summed directly; above, in log space: each term is C(n, i) / 2^n, built by
 * the ratio C(n, i) = C(n, i-1) · (n-i+1)/i and added with log-sum-exp, so n in the tens of
 * thousands neither overflows nor underflows to 0 before the sum.
 */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (n <= 1000) {
    // 2^-n is still a normal double here, and small tables then come out exact (2/32, not 2/32 + 1e-17)
    let term = 0.5 ** n;
    let sum = term;
    for (let i = 1; i <= k; i++) {
      term = (term * (n - i + 1)) / i;
      sum += term;
    }
    return Math.min(1, sum);
  }
  const ln2n = n * Math.LN2;
  let logTerm = -ln2n; // log(C(n, 0) / 2^n)
  let logSum = logTerm;
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log(n - i + 1) - Math.log(i);
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
  }
  return Math.min(1, Math.exp(logSum));
}
