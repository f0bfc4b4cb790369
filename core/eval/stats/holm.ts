// Holm's step-down correction (Holm 1979) for comparing more than two variants: with k variants
// there are k(k-1)/2 pairs, and at 5% each, some pair would look "better" by chance alone. Holm
// controls the family-wise error like Bonferroni but rejects more; it needs no assumption about
// how the tests depend on each other (they share variants, so they do). Hand-written: a sort and a
// running maximum, checked against R's p.adjust in the tests.

/** Holm-adjusted p-values, in the input order (equal to R's p.adjust(p, "holm")). */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    // the step-down rule keeps adjusted values monotone in the sorted order
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
