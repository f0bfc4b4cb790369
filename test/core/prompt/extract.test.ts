// Answer extraction rules.
import { describe, expect, it } from 'vitest';
import { extractAnswer, ExtractionRuleSchema, locateAnswer, type ExtractionRule } from '../../../core/prompt';

const rule = (r: unknown): ExtractionRule => ExtractionRuleSchema.parse(r);

describe('extractAnswer', () => {
  const cot = " Roger started with 5 balls. 2 cans of 3 balls each is 6 balls. 5 + 6 = 11.\nAnswer: 11\n\nQ: A baker has 12 cakes.\nA: Let's think step by step.\nAnswer: 8";

  it('full: the whole output, trimmed; null when blank', () => {
    expect(extractAnswer('  Positive.\n', rule({ rule: 'full' }))).toBe('Positive.');
    expect(extractAnswer(' \n\t', rule({ rule: 'full' }))).toBeNull();
    expect(extractAnswer('', rule({ rule: 'full' }))).toBeNull();
  });

  it('first-line and last-line skip blank lines', () => {
    expect(extractAnswer('\n\n  Positive.\nQ: next', rule({ rule: 'first-line' }))).toBe('Positive.');
    expect(extractAnswer('steps\r\nmore\r\n 42 \r\n\r\n', rule({ rule: 'last-line' }))).toBe('42');
    expect(extractAnswer('\n \n', rule({ rule: 'last-line' }))).toBeNull();
  });

  it('after-marker: the rest of the line after the first marker, or the next non-blank line', () => {
    expect(extractAnswer(cot, rule({ rule: 'after-marker', marker: 'Answer:' }))).toBe('11');
    expect(extractAnswer('Answer:\n\n  12 apples\nmore', rule({ rule: 'after-marker', marker: 'Answer:' }))).toBe('12 apples');
    expect(extractAnswer('no marker here', rule({ rule: 'after-marker', marker: 'Answer:' }))).toBeNull();
    expect(extractAnswer('Answer:   \n  ', rule({ rule: 'after-marker', marker: 'Answer:' }))).toBeNull();
    expect(extractAnswer('answer: 3', rule({ rule: 'after-marker', marker: 'Answer:' }))).toBeNull(); // case matters
  });

  it('regex: the group named answer, else group 1, else the whole match', () => {
    expect(extractAnswer(cot, rule({ rule: 'regex', pattern: 'Answer:\\s*(\\d+)' }))).toBe('11');
    expect(extractAnswer('The label is NEGATIVE.', rule({ rule: 'regex', pattern: '\\b(positive|negative)\\b', flags: 'i' }))).toBe('NEGATIVE');
    expect(extractAnswer('x=1, y=2', rule({ rule: 'regex', pattern: '(x)=\\d, y=(?<answer>\\d)' }))).toBe('2');
    expect(extractAnswer('{"a": 1} trailing', rule({ rule: 'regex', pattern: '\\{[\\s\\S]*\\}' }))).toBe('{"a": 1}');
    expect(extractAnswer('nothing', rule({ rule: 'regex', pattern: '\\d+' }))).toBeNull();
    expect(extractAnswer('ab', rule({ rule: 'regex', pattern: 'a(x)?' }))).toBeNull(); // group 1 did not take part
    expect(extractAnswer('a   b', rule({ rule: 'regex', pattern: 'a(\\s+)b' }))).toBeNull(); // only whitespace
    expect(extractAnswer('ÄÖ 7', rule({ rule: 'regex', pattern: '\\p{Lu}+', flags: 'u' }))).toBe('ÄÖ');
  });

  it('locateAnswer gives the span in the output', () => {
    const found = locateAnswer(cot, rule({ rule: 'after-marker', marker: 'Answer:' }))!;
    expect(cot.slice(found.start, found.end)).toBe('11');
    const re = locateAnswer('  x = 42 ', rule({ rule: 'regex', pattern: '=\\s*(\\d+)' }))!;
    expect(re).toEqual({ text: '42', start: 6, end: 8 });
    const last = locateAnswer('a\n  b  \n', rule({ rule: 'last-line' }))!;
    expect(last).toEqual({ text: 'b', start: 4, end: 5 });
  });
});
