import { describe, expect, test } from 'vitest';
import { combine, countWords, findJson, gradeCase, gradeCheck, unsupportedCheckTypes, type Check, type CheckContext } from '../../../core/eval/index.js';

const ctx = (output: string, answer: string | null = output, vars: Record<string, string> = {}): CheckContext => ({ output, answer, vars });

async function grade(check: Check, c: CheckContext) {
  return gradeCheck(check, c);
}

describe('deterministic checks pass and fail', () => {
  // each row: the check, an output it passes, an output it fails
  const cases: [Check, string, string][] = [
    [{ type: 'equals', value: 'Positive' }, 'Positive', 'positive'],
    [{ type: 'contains', value: 'great' }, 'a great film', 'a Great film'],
    [{ type: 'icontains', value: 'great' }, 'a GREAT film', 'a fine film'],
    [{ type: 'contains-any', value: ['good', 'great'] }, 'good enough', 'fine'],
    [{ type: 'contains-any', value: 'good, great' }, 'it was great', 'fine'],
    [{ type: 'contains-all', value: ['red', 'blue'] }, 'red and blue', 'red only'],
    [{ type: 'icontains-any', value: ['YES'] }, 'yes', 'no'],
    [{ type: 'icontains-all', value: ['a', 'B'] }, 'A b', 'a c'],
    [{ type: 'starts-with', value: 'Answer:' }, 'Answer: 4', 'The answer: 4'],
    [{ type: 'regex', value: '^\\d+$' }, '42', '42 apples'],
    [{ type: 'is-json' }, '{"a": 1}', '{a: 1}'],
    [{ type: 'contains-json' }, 'Here: {"a": [1, 2]} done', 'no json [here]'],
    [{ type: 'levenshtein', value: 'colour', threshold: 1 }, 'color', 'colr'],
    [{ type: 'word-count', value: { min: 2, max: 3 } }, 'two words', 'just one many words here'],
    [{ type: 'word-count', value: 1 }, 'one', 'two words'],
  ];
  test.each(cases)('%o', async (check, good, bad) => {
    const pass = await grade(check, ctx(good));
    const fail = await grade(check, ctx(bad));
    expect(pass).toMatchObject({ pass: true, score: 1 });
    expect(fail).toMatchObject({ pass: false, score: 0 });
    expect(fail.reason.length).toBeGreaterThan(10);
  });

  test('not- flips any check, and the reason says so', async () => {
    const r = await grade({ type: 'not-contains', value: 'Negative' }, ctx('Positive'));
    expect(r).toMatchObject({ pass: true, score: 1 });
    expect(r.reason).toBe('passes not-contains: the answer does not contain "Negative"');
    expect(await grade({ type: 'not-is-json' }, ctx('{}'))).toMatchObject({ pass: false });
    expect(await grade({ type: 'not-regex', value: 'x' }, ctx('abc'))).toMatchObject({ pass: true });
  });

  test('reasons say what was found', async () => {
    expect((await grade({ type: 'equals', value: 'Positive' }, ctx('Negative'))).reason).toBe('the answer is "Negative", not "Positive"');
    expect((await grade({ type: 'levenshtein', value: 'colour' }, ctx('colr'))).reason).toBe('edit distance to "colour" is 2 (at most 5 allowed)');
    expect((await grade({ type: 'word-count', value: { max: 2 } }, ctx('a b c'))).reason).toBe('the answer has 3 words (wanted 0 to 2)');
    expect((await grade({ type: 'contains-all', value: ['x', 'y'] }, ctx('x'))).reason).toBe('the answer lacks "y"');
  });

  test('target: the answer by default, the whole output on request', async () => {
    const c = ctx('Reasoning...\nAnswer: Positive', 'Positive');
    expect(await grade({ type: 'equals', value: 'Positive' }, c)).toMatchObject({ pass: true });
    expect(await grade({ type: 'equals', value: 'Positive', target: 'output' }, c)).toMatchObject({ pass: false });
    expect(await grade({ type: 'starts-with', value: 'Reasoning', target: 'output' }, c)).toMatchObject({ pass: true });
  });

  test('an answer the extraction rule did not find fails the answer checks, not the output checks', async () => {
    const c = ctx('rambling', null);
    expect(await grade({ type: 'contains', value: 'ramb' }, c)).toMatchObject({ pass: false, reason: 'no answer found in the output' });
    expect(await grade({ type: 'contains', value: 'ramb', target: 'output' }, c)).toMatchObject({ pass: true });
  });

  test('{{var}} in a value is the case variable', async () => {
    expect(await grade({ type: 'equals', value: '{{label}}' }, ctx('Positive', 'Positive', { label: 'Positive' }))).toMatchObject({ pass: true });
    expect(await grade({ type: 'equals', value: '{{label}}' }, ctx('Positive', 'Positive', { label: 'Negative' }))).toMatchObject({ pass: false });
  });

  test('a bad regex fails with a reason instead of throwing', async () => {
    expect(await grade({ type: 'regex', value: '(' }, ctx('x'))).toMatchObject({ pass: false, reason: '"(" is not a valid regular expression' });
  });

  test('counting words', () => {
    expect([countWords(''), countWords('  one  '), countWords('a\nb\tc')]).toEqual([0, 1, 3]);
  });
});

describe('JSON checks with a schema', () => {
  const schema = { type: 'object', required: ['label'], properties: { label: { enum: ['Positive', 'Negative'] } } };
  test('is-json with a schema passes a matching object and says where a mismatch is', async () => {
    expect(await grade({ type: 'is-json', value: schema }, ctx('{"label": "Positive"}'))).toMatchObject({ pass: true, reason: 'the answer is JSON matching the schema' });
    const bad = await grade({ type: 'is-json', value: schema }, ctx('{"label": "Maybe"}'));
    expect(bad.pass).toBe(false);
    expect(bad.reason).toMatch(/^the answer is JSON but not matching the schema at \/label: /);
  });

  test('contains-json with a schema given as JSON text (as a CSV cell would)', async () => {
    const r = await grade({ type: 'contains-json', value: JSON.stringify(schema) }, ctx('Sure! {"label": "Negative"} Hope that helps.'));
    expect(r).toMatchObject({ pass: true });
  });

  test('findJson skips brackets that are not JSON and respects strings', () => {
    expect(findJson('see [above] then {"a": "}"}')).toEqual({ value: { a: '}' } });
    expect(findJson('nothing here')).toBeUndefined();
  });
});

describe('case grading: weight, threshold, skipped checks', () => {
  test('every counted check must pass when there is no threshold', async () => {
    const g = await gradeCase([{ type: 'contains', value: 'a' }, { type: 'contains', value: 'z' }], ctx('abc'));
    expect(g).toMatchObject({ pass: false, score: 0.5, reason: 'the answer does not contain "z"' });
  });

  test('weights shape the score; a threshold decides the pass', async () => {
    const checks: Check[] = [
      { type: 'contains', value: 'a', weight: 3 },
      { type: 'contains', value: 'z', weight: 1 },
    ];
    expect((await gradeCase(checks, ctx('abc'))).score).toBe(0.75);
    expect(await gradeCase(checks, ctx('abc'), { threshold: 0.7 })).toMatchObject({ pass: true, reason: 'score 0.75 reaches the threshold 0.7' });
    expect(await gradeCase(checks, ctx('abc'), { threshold: 0.8 })).toMatchObject({ pass: false });
  });

  test('weight 0 is reported and does not count', async () => {
    const g = await gradeCase([{ type: 'contains', value: 'a' }, { type: 'contains', value: 'z', weight: 0 }], ctx('abc'));
    expect(g).toMatchObject({ pass: true, score: 1 });
    expect(g.results[1]).toMatchObject({ pass: false, weight: 0 });
  });

  test('unsupported types are kept, skipped with a reason, and listed by name', async () => {
    const checks: Check[] = [{ type: 'similar', value: 'hello', threshold: 0.8 }, { type: 'contains', value: 'h' }, { type: 'not-rouge-n', value: 'x' }];
    const g = await gradeCase(checks, ctx('hello'));
    expect(g.pass).toBe(true);
    expect(g.results[0]).toMatchObject({ skipped: true, reason: 'similar is not supported by Shotglass (kept for promptfoo)' });
    expect(unsupportedCheckTypes(checks)).toEqual(['not-rouge-n', 'similar']);
  });

  test('javascript and llm-rubric go to the injected grader; without one they are skipped, never passed', async () => {
    const js: Check = { type: 'javascript', value: 'output.length > 2' };
    expect(await gradeCheck(js, ctx('abc'))).toMatchObject({ skipped: true, pass: false });
    const seen: string[] = [];
    const r = await gradeCheck({ ...js, type: 'not-javascript' }, ctx('abc'), async (_c, base) => {
      seen.push(base);
      return { pass: true, score: 1, reason: 'ok' };
    });
    expect(seen).toEqual(['javascript']);
    expect(r).toMatchObject({ pass: false, score: 0 });
  });

  test('a grader that throws fails the check with its message', async () => {
    const r = await gradeCheck({ type: 'llm-rubric', value: 'polite' }, ctx('x'), async () => {
      throw new Error('judge model unloaded');
    });
    expect(r).toMatchObject({ pass: false, reason: 'llm-rubric check failed to run: judge model unloaded' });
  });

  test('no checks: a pass with score 1', () => {
    expect(combine([])).toMatchObject({ pass: true, score: 1, reason: 'no checks' });
  });
});
