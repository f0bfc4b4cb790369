// Calibration across a classification dataset: does a variant's stated confidence match how often
// it is right? Input per case: the probability the model gave its predicted label and whether that
// label was correct (the top-label formulation of Guo et al. 2017, "On Calibration of Modern
// Neural Networks", which defines ECE with equal-width bins as used here).

export interface Prediction {
  /** the probability of the predicted label, 0..1 */
  confidence: number;
  correct: boolean;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** mean confidence in the bin (NaN when empty) */
  confidence: number;
  /** fraction correct in the bin (NaN when empty) */
  accuracy: number;
}

export interface CalibrationSummary {
  count: number;
  /** mean squared gap between confidence and outcome (0 is perfect; 0.25 is always saying 50%) */
  brier: number;
  /** expected calibration error: the count-weighted mean |accuracy - confidence| over the bins */
  ece: number;
  /** the reliability diagram's data: one bar per bin */
  bins: ReliabilityBin[];
}

export function calibration(predictions: readonly Prediction[], binCount = 10): CalibrationSummary {
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError('binCount must be a positive integer');
  const n = predictions.length;
  const sums = Array.from({ length: binCount }, () => ({ count: 0, conf: 0, right: 0 }));
  let brier = 0;
  for (const { confidence, correct } of predictions) {
    const p = Math.min(1, Math.max(0, confidence));
    brier += (p - (correct ? 1 : 0)) ** 2;
    // bins are (lower, upper]; 0 goes in the first bin and 1 in the last
    const b = Math.min(binCount - 1, Math.max(0, Math.ceil(p * binCount) - 1));
    sums[b]!.count++;
    sums[b]!.conf += p;
    sums[b]!.right += correct ? 1 : 0;
  }
  let ece = 0;
  const bins = sums.map((s, i) => {
    const confidence = s.count ? s.conf / s.count : NaN;
    const accuracy = s.count ? s.right / s.count : NaN;
    if (s.count) ece += (s.count / n) * Math.abs(accuracy - confidence);
    return { lower: i / binCount, upper: (i + 1) / binCount, count: s.count, confidence, accuracy };
  });
  return { count: n, brier: n ? brier / n : NaN, ece: n ? ece : NaN, bins };
}

/**
 * One classification case as a calibration point: the model's preferred label (renormalised over
 * the label set, as labelDistribution does) with its probability, and whether it is the expected one.
 */
export function predictionFromLabels(distribution: readonly { label: string; probability: number }[], expected: string): Prediction | null {
  const top = distribution[0];
  return top ? { confidence: top.probability, correct: top.label === expected } : null;
}
