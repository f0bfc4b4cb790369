// Statistics over repeats of the same case (sampling with temperature > 0).

/** log C(n, k), summed term by term so it is exact enough and never overflows for the n of repeats */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

function check(n: number, c: number, k: number): void {
  if (![n, c, k].every(Number.isInteger) || n < 1 || c < 0 || c > n || k < 1 || k > n) throw new RangeError('need whole numbers with 0 <= c <= n and 1 <= k <= n');
}

/**
 * pass@k: the chance that at least one of k runs passes, estimated without bias from n runs of
 * which c passed: 1 - C(n-c, k) / C(n, k) (Chen et al. 2021, "Evaluating Large Language Models
 * Trained on Code"). Not 1 - (1 - c/n)^k, which is biased low.
 */
export function passAtK(n: number, c: number, k: number): number {
  check(n, c, k);
  if (n - c < k) return 1;
  return 1 - Math.exp(logChoose(n - c, k) - logChoose(n, k));
}

/**
 * pass^k: the chance that all k runs pass (reliability rather than capability), estimated without
 * bias as C(c, k) / C(n, k) (Yao et al. 2024, "τ-bench").
 */
export function passHatK(n: number, c: number, k: number): number {
  check(n, c, k);
  if (c < k) return 0;
  return Math.exp(logChoose(c, k) - logChoose(n, k));
}

export interface Agreement<T> {
  /** the most frequent value (first seen wins a tie); null when there are no values */
  majority: T | null;
  /** the fraction of repeats that gave the majority value (1 = all agree) */
  agreement: number;
  counts: Map<T, number>;
}

/** How much a case's repeats agree: on pass/fail or on the extracted answers. */
export function agreement<T>(values: readonly T[]): Agreement<T> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let majority: T | null = null;
  let best = 0;
  for (const [v, n] of counts) if (n > best) [majority, best] = [v, n];
  return { majority, agreement: values.length ? best / values.length : NaN, counts };
}
