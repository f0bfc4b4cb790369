// Comparison helpers: divergence, diffs, self-consistency and exports, as properties where possible.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Comparison, TokenStep } from '../../../core/api/contract.js';
import {
  comparisonToCsv,
  comparisonToJson,
  comparisonToMarkdown,
  firstDivergence,
  groupIdentical,
  selfConsistency,
  splitWords,
  tokenDiff,
  wordDiff,
} from '../../../core/compare/index.js';
import { fakeResult } from '../../helpers/results.js';

const step = (id: number, text: string, top: Array<[number, number]> = []): TokenStep => ({
  id,
  text,
  p: 0.5,
  top: top.map(([tid, p]) => ({ id: tid, text: `t${tid}`, p })),
});

describe('first divergence', () => {
  it('finds the first differing token, its offsets and the cross probabilities', () => {
    const a = [step(1, ' The'), step(2, ' cat', [[2, 0.6], [3, 0.3]]), step(4, ' sat')];
    const b = [step(1, ' The'), step(3, ' dog', [[3, 0.7], [2, 0.2]]), step(4, ' sat')];
    expect(firstDivergence(a, b)).toMatchObject({ index: 1, offsetA: 4, offsetB: 4, pAinB: 0.2, pBinA: 0.3 });
  });

  it('is null for identical streams, and at the end of the shorter one for a prefix', () => {
    const a = [step(1, 'x'), step(2, 'y')];
    expect(firstDivergence(a, a)).toBeNull();
    expect(firstDivergence(a, a.slice(0, 1))).toMatchObject({ index: 1, offsetA: 1, offsetB: 1 });
  });
});

describe('diffs', () => {
  it('word diffs rebuild both texts exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 80 }), (a, b) => {
        const d = wordDiff(a, b);
        expect(d.filter((s) => s.op !== 'add').map((s) => s.text).join('')).toBe(a);
        expect(d.filter((s) => s.op !== 'remove').map((s) => s.text).join('')).toBe(b);
      }),
    );
    expect(splitWords('Hi, you!').join('|')).toBe('Hi|,| |you|!');
    expect(wordDiff('the cat sat', 'the dog sat')).toEqual([
      { op: 'equal', text: 'the ' },
      { op: 'remove', text: 'cat' },
      { op: 'add', text: 'dog' },
      { op: 'equal', text: ' sat' },
    ]);
  });

  it('token diffs follow token ids and rebuild both outputs', () => {
    const a = [step(1, 'A'), step(2, 'B'), step(3, 'C')];
    const b = [step(1, 'A'), step(9, 'X'), step(3, 'C')];
    const d = tokenDiff(a, b);
    expect(d).toEqual([
      { op: 'equal', text: 'A' },
      { op: 'remove', text: 'B' },
      { op: 'add', text: 'X' },
      { op: 'equal', text: 'C' },
    ]);
  });
});

describe('self-consistency', () => {
  it('extracts each answer, finds the majority and the agreement rate', () => {
    const outputs = ['... Answer: 11', 'so Answer: 12', 'Answer: 11 ', 'no idea', 'Answer: 11'];
    const result = selfConsistency(outputs, { rule: 'after-marker', marker: 'Answer:' });
    expect(result.answers).toEqual(['11', '12', '11', null, '11']);
    expect(result.majority).toBe('11');
    expect(result.agreement).toBeCloseTo(3 / 5);
    expect(result.counts).toEqual([
      { answer: '11', count: 3 },
      { answer: '12', count: 1 },
    ]);
  });

  it('groups identical outputs with counts', () => {
    expect(groupIdentical(['a', 'b', 'a'])).toEqual([
      { text: 'a', count: 2, indexes: [0, 2] },
      { text: 'b', count: 1, indexes: [1] },
    ]);
  });
});

describe('exports', () => {
  const comparison: Comparison = {
    id: 'c1',
    createdAt: 0,
    name: 'Temperature sweep',
    seed: 7,
    spec: {
      name: 'Temperature sweep',
      repeats: 1,
      topProbabilities: 5,
      variants: [
        { id: 'a', label: 'T 0.2', modelId: 'm', input: { mode: 'completion', text: 'Q: hi\nA:' }, sampling: { ...fakeResult().record.sampling, temperature: 0.2 } },
        { id: 'b', label: 'T 1.2 | hot', modelId: 'm', input: { mode: 'completion', text: 'Q: hi\nA:' }, sampling: { ...fakeResult().record.sampling, temperature: 1.2 } },
      ],
    },
    runs: [
      { runId: 'r1', variantId: 'a', repeat: 0, seed: 7, result: fakeResult({ text: ' Positive.', steps: [step(1, ' Positive'), step(2, '.')] }) },
      { runId: 'r2', variantId: 'b', repeat: 0, seed: 7, result: fakeResult({ text: ' Negative, "really"\n', steps: [step(3, ' Negative'), step(4, ',')] }) },
    ],
    verdict: { ratings: { r1: { thumb: 1, stars: 4 } }, winners: {}, winner: 'a', notes: 'A is right.' },
  };

  it('Markdown names the winner, tabulates metrics, shows the divergence and every output', () => {
    const md = comparisonToMarkdown(comparison);
    expect(md).toMatch(/^# Temperature sweep\n/);
    expect(md).toContain('**Winner: T 0.2**');
    expect(md).toContain('| T 1.2 \\| hot |');
    expect(md).toContain('First divergence between T 0.2 and T 1.2 | hot: token 1 (" Positive" vs " Negative").');
    expect(md).toContain('```text\n Negative, "really"\n\n```');
    expect(md).toContain('👍 ★★★★');
  });

  it('CSV has one row per run and quotes what needs quoting', () => {
    const csv = comparisonToCsv(comparison).trimEnd().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]!.split(',')).toHaveLength(17);
    expect(csv[2]!.startsWith('b,T 1.2 | hot,1,7,m.gguf,1.2,')).toBe(true);
    expect(csv[2]!.endsWith('" Negative, ""really""\n"')).toBe(true);
  });

  it('JSON round-trips', () => {
    expect(JSON.parse(comparisonToJson(comparison))).toEqual(comparison);
  });
});
