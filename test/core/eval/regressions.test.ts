import { describe, expect, test } from 'vitest';
import { calibration, combine, labelDistribution, predictionFromLabels, regressions, type EvalResults } from '../../../core/eval/index.js';

const grade = (pass: boolean) => combine([{ type: 'equals', pass, score: pass ? 1 : 0, weight: 1, reason: '' }]);

function run(cases: string[], passes: Record<string, boolean[]>): EvalResults {
  return {
    name: 'r',
    variants: Object.keys(passes).map((id) => ({ id, label: id.toUpperCase() })),
    cases: cases.map((text) => ({ vars: { text }, assert: [] })),
    cells: Object.entries(passes).flatMap(([variantId, ps]) => ps.map((p, caseIndex) => ({ variantId, caseIndex, repeat: 0, output: '', answer: '', grade: grade(p) }))),
  };
}

describe('regressions against an earlier run', () => {
  test('flips in both directions, matched by the case and not its row; new cases counted', () => {
    const before = run(['one', 'two', 'three'], { a: [true, false, true], gone: [true, true, true] });
    // rows reordered and one added: only real flips show
    const after = run(['three', 'new', 'one', 'two'], { a: [false, true, true, true] });
    expect(regressions(before, after)).toEqual([
      {
        variantId: 'a',
        label: 'A',
        broke: [{ caseIndex: 0, vars: { text: 'three' } }],
        fixed: [{ caseIndex: 3, vars: { text: 'two' } }],
        added: 1,
      },
    ]);
  });

  test('an error counts as a failure', () => {
    const before = run(['x'], { a: [true] });
    const after: EvalResults = { ...before, cells: [{ variantId: 'a', caseIndex: 0, repeat: 0, output: '', answer: null, error: 'stopped' }] };
    expect(regressions(before, after)[0]!.broke).toHaveLength(1);
  });
});

describe('calibration points from label probabilities', () => {
  test('the preferred label, its probability, and whether it was expected', () => {
    const d = labelDistribution({ Positive: [Math.log(0.3)], Negative: [Math.log(0.1)] });
    expect(predictionFromLabels(d, 'Positive')).toEqual({ confidence: expect.closeTo(0.75, 12), correct: true });
    expect(predictionFromLabels(d, 'Negative')).toEqual({ confidence: expect.closeTo(0.75, 12), correct: false });
    expect(predictionFromLabels([], 'x')).toBeNull();
    expect(calibration([predictionFromLabels(d, 'Positive')!]).brier).toBeCloseTo(0.0625, 12);
  });
});
