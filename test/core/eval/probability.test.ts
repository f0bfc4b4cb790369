import { describe, expect, test } from 'vitest';
import {
  buildJudgePrompt,
  calibration,
  DEFAULT_JUDGE_TEMPLATE,
  gradeCheck,
  labelDistribution,
  labelMargin,
  parseVerdict,
  perplexity,
  sequenceProbability,
  type CheckContext,
} from '../../../core/eval/index.js';

const ln = Math.log;

describe('label probability, margin and perplexity', () => {
  test('a label of several tokens: the product of its token probabilities', () => {
    expect(sequenceProbability([ln(0.5), ln(0.8)])).toBeCloseTo(0.4, 12);
  });

  test('the distribution over a label set is renormalised, best first', () => {
    const d = labelDistribution({ Positive: [ln(0.6)], Negative: [ln(0.2)] });
    expect(d.map((x) => x.label)).toEqual(['Positive', 'Negative']);
    expect(d[0]!.probability).toBeCloseTo(0.75, 12);
  });

  test('no underflow for very unlikely labels (log-probabilities around -2000)', () => {
    const d = labelDistribution({ a: [-2000], b: [-2000 - ln(3)] });
    expect(d[0]!.probability).toBeCloseTo(0.75, 12);
  });

  test('margin between the best two', () => {
    expect(labelMargin({ A: [ln(0.5)], B: [ln(0.3)], C: [ln(0.2)] })).toMatchObject({ best: 'A', second: 'B' });
    expect(labelMargin({ A: [ln(0.5)], B: [ln(0.3)], C: [ln(0.2)] })!.margin).toBeCloseTo(0.2, 12);
    expect(labelMargin({ A: [ln(0.5)] })!.margin).toBe(1);
  });

  test('perplexity: exp of the mean negative log-probability', () => {
    expect(perplexity([ln(0.5), ln(0.5)])).toBeCloseTo(2, 12);
    expect(perplexity([ln(0.25), ln(1)])).toBeCloseTo(2, 12);
    expect(perplexity([])).toBeNaN();
  });

  const ctx = (probabilities: CheckContext['probabilities']): CheckContext => ({ output: 'Positive', answer: 'Positive', vars: {}, probabilities });

  test('label-probability check: passes at or above the threshold', async () => {
    const c = ctx({ labelLogprobs: { Positive: [ln(0.7)], Negative: [ln(0.1)] } });
    expect(await gradeCheck({ type: 'label-probability', value: 'Positive', threshold: 0.6 }, c)).toMatchObject({ pass: true, reason: 'P("Positive") = 70.0% (at least 60.0% wanted)' });
    expect(await gradeCheck({ type: 'label-probability', value: 'Negative', threshold: 0.6 }, c)).toMatchObject({ pass: false });
    expect((await gradeCheck({ type: 'label-probability', value: 'Positive' }, c)).score).toBeCloseTo(0.7, 12);
  });

  test('label-margin check: the expected label must lead by the margin', async () => {
    const c = ctx({ labelLogprobs: { Positive: [ln(0.6)], Negative: [ln(0.2)] } });
    expect(await gradeCheck({ type: 'label-margin', value: 'Positive', threshold: 0.4 }, c)).toMatchObject({ pass: true });
    expect(await gradeCheck({ type: 'label-margin', value: 'Positive', threshold: 0.6 }, c)).toMatchObject({ pass: false });
    expect(await gradeCheck({ type: 'label-margin', value: 'Negative' }, c)).toMatchObject({ pass: false, score: 0 });
  });

  test('perplexity check: at most the threshold', async () => {
    const c = ctx({ referenceLogprobs: [ln(0.5), ln(0.5)] });
    expect(await gradeCheck({ type: 'perplexity', threshold: 3 }, c)).toMatchObject({ pass: true, score: 0.5 });
    expect(await gradeCheck({ type: 'perplexity', threshold: 1.5 }, c)).toMatchObject({ pass: false });
  });

  test('no measured log-probabilities: skipped, not failed', async () => {
    expect(await gradeCheck({ type: 'perplexity', threshold: 3 }, ctx(undefined))).toMatchObject({ skipped: true });
    expect(await gradeCheck({ type: 'label-probability', value: 'X' }, ctx({ labelLogprobs: {} }))).toMatchObject({ skipped: true });
  });
});

describe('calibration', () => {
  test('a worked example: Brier score, ECE and the reliability bins', () => {
    // bin (0.8, 0.9]: confidences 0.9, 0.9, 0.85, two right → accuracy 2/3, confidence 0.8833
    // bin (0.5, 0.6]: confidence 0.6, wrong
    const c = calibration(
      [
        { confidence: 0.9, correct: true },
        { confidence: 0.9, correct: true },
        { confidence: 0.85, correct: false },
        { confidence: 0.6, correct: false },
      ],
      10,
    );
    const brier = (0.1 ** 2 + 0.1 ** 2 + 0.85 ** 2 + 0.6 ** 2) / 4;
    expect(c.brier).toBeCloseTo(brier, 12);
    const ece = (3 / 4) * Math.abs(2 / 3 - (0.9 + 0.9 + 0.85) / 3) + (1 / 4) * 0.6;
    expect(c.ece).toBeCloseTo(ece, 12);
    expect(c.bins).toHaveLength(10);
    expect(c.bins[8]).toMatchObject({ count: 3 });
    expect(c.bins[5]).toMatchObject({ count: 1, accuracy: 0, confidence: 0.6 });
    expect(c.bins[0]!.count).toBe(0);
    expect(c.bins[0]!.accuracy).toBeNaN();
  });

  test('perfectly calibrated and certain: both scores 0; 0 and 1 land in the end bins', () => {
    const c = calibration([{ confidence: 1, correct: true }, { confidence: 0, correct: false }], 5);
    expect([c.brier, c.ece]).toEqual([0, 0]);
    expect([c.bins[0]!.count, c.bins[4]!.count]).toEqual([1, 1]);
  });
});

describe('model-graded rubric', () => {
  test('the judge prompt fills rubric, output and the case variables; own fields win over a variable', () => {
    const p = buildJudgePrompt({ rubric: 'is polite', output: 'Thanks!', answer: null, vars: { output: 'spoof', topic: 'x' } }, 'R={{rubric}} O={{output}} T={{topic}}');
    expect(p).toBe('R=is polite O=Thanks! T=x');
    expect(buildJudgePrompt({ rubric: 'r', output: 'o', answer: 'a', vars: {} })).toContain('<output>\no\n</output>');
    expect(DEFAULT_JUDGE_TEMPLATE).toContain('PASS or FAIL');
  });

  test.each([
    ['PASS\nThe reply is polite.', true, 'The reply is polite.'],
    ['FAIL: it is rude', false, 'it is rude'],
    ['**Verdict: PASS** — thanks the user', true, 'thanks the user'],
    ['\n  fail. too long', false, 'too long'],
    ['{"pass": false, "score": 0.2, "reason": "off topic"}', false, 'off topic'],
  ])('reads %j', (reply, pass, reasoning) => {
    const v = parseVerdict(reply);
    expect(v).toMatchObject({ ok: true, pass, reasoning });
  });

  test('a reply without a verdict is an error, not a guess', () => {
    expect(parseVerdict('The output seems fine to me.')).toEqual({ ok: false, error: "the judge's reply does not start with PASS or FAIL" });
    expect(parseVerdict('   ')).toMatchObject({ ok: false });
    expect(parseVerdict('PASSABLE work')).toMatchObject({ ok: false });
  });
});
