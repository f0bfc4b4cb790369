import { DOMParser } from '@xmldom/xmldom';
import Papa from 'papaparse';
import { describe, expect, test } from 'vitest';
import { combine, resultsToCsv, resultsToJson, resultsToJunit, resultsToMarkdown, summarize, xmlEscape, type EvalResults } from '../../../core/eval/index.js';

const pass = combine([{ type: 'equals', pass: true, score: 1, weight: 1, reason: 'the answer equals "Positive"' }]);
const fail = (reason: string) => combine([{ type: 'equals', pass: false, score: 0, weight: 1, reason }]);

// 3 cases × 2 variants; B fixes case 2; case 3 fails in A with an output holding XML and CSV trouble
const results: EvalResults = {
  name: 'Sentiment <zero> & "few"',
  variants: [
    { id: 'a', label: 'zero-shot' },
    { id: 'b', label: 'few-shot' },
  ],
  cases: [
    { vars: { review: 'Great' }, assert: [{ type: 'equals', value: 'Positive' }], description: 'easy' },
    { vars: { review: 'Not bad, actually' }, assert: [{ type: 'equals', value: 'Positive' }] },
    { vars: { review: '=cmd|x' }, assert: [{ type: 'equals', value: 'Negative' }] },
  ],
  cells: [
    { variantId: 'a', caseIndex: 0, repeat: 0, output: 'Positive', answer: 'Positive', grade: pass, latencyMs: 120 },
    { variantId: 'a', caseIndex: 1, repeat: 0, output: 'Negative', answer: 'Negative', grade: fail('the answer is "Negative", not "Positive"'), latencyMs: 100 },
    { variantId: 'a', caseIndex: 2, repeat: 0, output: '=SUM(1) <b>&\u0007', answer: null, error: 'the inference process stopped' },
    { variantId: 'b', caseIndex: 0, repeat: 0, output: 'Positive', answer: 'Positive', grade: pass },
    { variantId: 'b', caseIndex: 1, repeat: 0, output: 'Positive', answer: 'Positive', grade: pass },
    { variantId: 'b', caseIndex: 2, repeat: 0, output: 'Negative, "surely"\nyes', answer: 'Negative', grade: pass },
  ],
};

describe('summary', () => {
  test('pass rates over runs (an error counts as a failure), one pair', () => {
    const s = summarize(results);
    expect(s.variants.map((v) => [v.passRate.successes, v.passRate.n, v.errors])).toEqual([
      [1, 3, 1],
      [3, 3, 0],
    ]);
    expect(s.pairs).toHaveLength(1);
    expect(s.pairs[0]).toMatchObject({ a: 'zero-shot', b: 'few-shot', wins: 2, losses: 0, ties: 1, p: 0.5 });
    expect(s.pairs[0]!.verdict).toMatch(/^not distinguishable yet: about \d+ more cases needed/);
  });
});

describe('CSV report', () => {
  test('one row per run; quotes and newlines survive; a formula-like cell is defused', () => {
    const parsed = Papa.parse<string[]>(resultsToCsv(results).trimEnd(), { header: false });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(['case', 'description', 'review', 'variant', 'repeat', 'pass', 'score', 'answer', 'output', 'failed checks', 'latency ms']);
    expect(rows).toHaveLength(6);
    expect(rows[1]!.slice(3, 6)).toEqual(['zero-shot', '1', 'fail']);
    expect(rows[1]![9]).toBe('equals: the answer is "Negative", not "Positive"');
    expect(rows[2]![9]).toBe('error: the inference process stopped');
    expect(rows[2]![2]).toBe("'=cmd|x");
    expect(rows[5]![8]).toBe('Negative, "surely"\nyes');
  });
});

describe('JSON report', () => {
  test('each variant has passed, total and pass rate (what `shotglass eval --json` prints)', () => {
    const json = JSON.parse(resultsToJson(results));
    expect(json.variants.map((v: { label: string; passed: number; total: number; passRate: number }) => [v.label, v.passed, v.total, v.passRate])).toEqual([
      ['zero-shot', 1, 3, 1 / 3],
      ['few-shot', 3, 3, 1],
    ]);
    expect(json.variants[1].interval95[1]).toBe(1);
    expect(json.pairs[0].verdict).toMatch(/^not distinguishable yet/);
    expect(json.runs).toHaveLength(6);
    expect(json.variants[1].meanLatencyMs).toBeNull();
  });
});

describe('Markdown report', () => {
  test('table of variants, the comparison, plot images, and the failures', () => {
    const md = resultsToMarkdown(results, { imageDir: 'plots' });
    expect(md).toContain('| zero-shot | 1/3 | 33.3% | 6.1% – 79.2% |');
    expect(md).toContain('| few-shot | 3/3 | 100.0% | 43.9% – 100.0% |');
    expect(md).toContain('| zero-shot | few-shot | 2 | 0 | 1 | 0.500 | not distinguishable yet');
    expect(md).toContain('![Pass rate per variant (95% Wilson interval)](plots/pass-rate.png)');
    expect(md).toContain('| 2 | zero-shot | Negative | equals: the answer is "Negative", not "Positive" |');
    expect(md).toContain('| 3 | zero-shot | (none) | error: the inference process stopped |');
  });
});

describe('JUnit XML', () => {
  test('one testcase per variant × case, a failure for each that fails, well-formed despite <, & and control characters', () => {
    const xml = resultsToJunit(results);
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(xml, 'text/xml');
    expect(errors).toEqual([]);
    const suites = Array.from(doc.getElementsByTagName('testsuite'));
    expect(suites.map((s) => [s.getAttribute('name'), s.getAttribute('tests'), s.getAttribute('failures')])).toEqual([
      ['zero-shot', '3', '2'],
      ['few-shot', '3', '0'],
    ]);
    expect(doc.getElementsByTagName('testcase')).toHaveLength(6);
    const failures = Array.from(doc.getElementsByTagName('failure'));
    expect(failures.map((f) => f.getAttribute('message'))).toEqual([
      '1 of 1 run failed: equals: the answer is "Negative", not "Positive"',
      '1 of 1 run failed: error: the inference process stopped',
    ]);
    expect(doc.documentElement!.getAttribute('name')).toBe('Sentiment <zero> & "few"');
    expect(doc.getElementsByTagName('testcase')[0]!.getAttribute('name')).toBe('case 1: easy');
  });

  test('escaping', () => {
    expect(xmlEscape(`<a href="x">'&'</a>\u0000`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
