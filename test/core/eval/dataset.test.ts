import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  datasetFormatOf,
  formatExpected,
  parseDataset,
  serializeDataset,
  parseCsv,
  parseExpected,
  parseJsonl,
  parsePastedTable,
  parseYamlDataset,
  serializeCsv,
  serializeJsonl,
  serializeYamlDataset,
  type TestCase,
} from '../../../core/eval/index.js';

describe("promptfoo's one-cell check syntax", () => {
  test.each([
    ['Positive', { type: 'equals', value: 'Positive' }],
    ['positive', { type: 'equals', value: 'positive' }],
    ['Note: check this', { type: 'equals', value: 'Note: check this' }],
    ['contains:great', { type: 'contains', value: 'great' }],
    ['not-icontains: bad ', { type: 'not-icontains', value: 'bad' }],
    ['contains-any:a, b,c', { type: 'contains-any', value: ['a', 'b', 'c'] }],
    ['levenshtein(3):colour', { type: 'levenshtein', value: 'colour', threshold: 3 }],
    ['is-json', { type: 'is-json' }],
    ['javascript: output.length < 20', { type: 'javascript', value: 'output.length < 20' }],
    ['fn:output === "x"', { type: 'javascript', value: 'output === "x"' }],
    ['grade:is polite', { type: 'llm-rubric', value: 'is polite' }],
    ['similar(0.8):hello', { type: 'similar', value: 'hello', threshold: 0.8 }],
    ['regex:^\\d+$', { type: 'regex', value: '^\\d+$' }],
  ])('%j', (cell, check) => {
    expect(parseExpected(cell)).toEqual(check);
  });

  test('formatting writes back what reads the same, and refuses what a cell cannot hold', () => {
    for (const cell of ['Positive', 'contains:great', 'levenshtein(3):colour', 'contains-any:a,b', 'is-json', 'not-regex:x+'])
      expect(formatExpected(parseExpected(cell))).toBe(cell);
    expect(formatExpected({ type: 'equals', value: 'contains:x' })).toBe('equals:contains:x');
    expect(parseExpected('equals:contains:x')).toEqual({ type: 'equals', value: 'contains:x' });
    expect(formatExpected({ type: 'contains', value: 'x', weight: 2 })).toBeNull();
    expect(formatExpected({ type: 'contains', value: 'x', target: 'output' })).toBeNull();
    expect(formatExpected({ type: 'is-json', value: { type: 'object' } })).toBeNull();
  });
});

describe('CSV', () => {
  test('header = variables; __expected columns, __description; quoted commas, newlines and quotes', () => {
    const text = [
      'review,topic,__expected,__expected2,__description',
      '"Great, loved it",film,Positive,not-contains:Negative,commas',
      '"Line one',
      'line two",book,contains:Neg,,"a ""quoted"" note"',
    ].join('\n');
    const r = parseCsv(text);
    expect(r.issues).toEqual([]);
    expect(r.variables).toEqual(['review', 'topic']);
    expect(r.cases).toEqual([
      { vars: { review: 'Great, loved it', topic: 'film' }, assert: [{ type: 'equals', value: 'Positive' }, { type: 'not-contains', value: 'Negative' }], description: 'commas' },
      { vars: { review: 'Line one\nline two', topic: 'book' }, assert: [{ type: 'contains', value: 'Neg' }], description: 'a "quoted" note' },
    ]);
  });

  test('BOM and CRLF (Excel "CSV UTF-8") read like plain LF files', () => {
    const r = parseCsv('\uFEFFreview,__expected\r\nfine,Positive\r\n"two\r\nlines",Negative\r\n');
    expect(r.variables).toEqual(['review']);
    expect(r.cases.map((c) => c.vars.review)).toEqual(['fine', 'two\r\nlines']);
    expect(r.issues).toEqual([]);
  });

  test('empty cells: an empty value for a variable, no check for an empty __expected; blank lines skipped', () => {
    const r = parseCsv('a,b,__expected\n,x,\n\n1,,Yes\n');
    expect(r.cases).toEqual([
      { vars: { a: '', b: 'x' }, assert: [] },
      { vars: { a: '1', b: '' }, assert: [{ type: 'equals', value: 'Yes' }] },
    ]);
  });

  test('a bad row is named by row and column and kept aside; the other rows load', () => {
    const r = parseCsv('text,__expected,__threshold\nok,Yes,\nbad,regex:(,\nalso ok,No,0.5\nbad2,Yes,2\ntoo,many,,cells\n');
    expect(r.cases.map((c) => c.vars.text)).toEqual(['ok', 'also ok']);
    expect(r.cases[1]!.threshold).toBe(0.5);
    expect(r.issues).toEqual([
      { row: 3, column: '__expected', message: 'the regex is not a valid regular expression', raw: { text: 'bad', __expected: 'regex:(', __threshold: '' } },
      { row: 5, column: '__threshold', message: 'must be a number from 0 to 1', raw: { text: 'bad2', __expected: 'Yes', __threshold: '2' } },
      { row: 6, column: '#4', message: 'has 1 more cell than the header has columns', raw: { text: 'too', __expected: 'many', __threshold: '' } },
    ]);
  });

  test('rows are counted as a spreadsheet shows them: a multi-line cell is one row', () => {
    const r = parseCsv('t,__expected\n"a\nb\nc",Yes\nx,regex:[\n');
    expect(r.issues[0]).toMatchObject({ row: 3, column: '__expected' });
  });

  test('header problems: a nameless column, a name twice, no header', () => {
    expect(parseCsv('a,,b\n1,2,3').issues).toEqual([{ row: 1, column: '#2', message: 'has no name' }]);
    expect(parseCsv('a,a\n1,2').issues).toEqual([{ row: 1, column: 'a', message: 'appears twice' }]);
    expect(parseCsv('').issues).toEqual([{ row: 1, message: 'the header row is missing' }]);
  });

  test('an unknown __ column is kept as metadata and mentioned', () => {
    const r = parseCsv('a,__note\n1,hello');
    expect(r.cases[0]).toMatchObject({ vars: { a: '1' }, metadata: { __note: 'hello' } });
    expect(r.issues).toEqual([{ row: 1, column: '__note', message: 'is not a known column; its values are kept as case metadata' }]);
  });

  test('an unclosed quote is reported', () => {
    expect(parseCsv('a,b\n"open,1\n').issues.some((i) => i.message === 'a quoted cell is not closed')).toBe(true);
  });
});

describe('pasting from a spreadsheet (TSV)', () => {
  test('tabs separate cells; a cell with a newline comes quoted; trailing empty columns are ignored', () => {
    const r = parsePastedTable('review\t__expected\t\nGreat, really\tPositive\t\n"two\nlines"\tNegative\t\n');
    expect(r.issues).toEqual([]);
    expect(r.cases.map((c) => [c.vars.review, c.assert[0]!.value])).toEqual([
      ['Great, really', 'Positive'],
      ['two\nlines', 'Negative'],
    ]);
  });
});

describe('JSONL and YAML', () => {
  test('JSONL: one case per line; a bad line is named by line and field', () => {
    const text = ['{"vars": {"q": "2+2"}, "assert": [{"type": "equals", "value": "4"}]}', '', '{"vars": {"q": 3}}', 'not json', '{"vars": {"q": "x"}, "assert": [{"type": "regex", "value": "("}]}', '{"vars": ["x"]}'].join('\n');
    const r = parseJsonl(text);
    expect(r.cases).toEqual([
      { vars: { q: '2+2' }, assert: [{ type: 'equals', value: '4' }] },
      { vars: { q: '3' }, assert: [] },
    ]);
    expect(r.issues.map(({ raw: _raw, ...i }) => i)).toEqual([
      { row: 4, message: 'is not valid JSON' },
      { row: 5, column: 'assert.0', message: 'the regex is not a valid regular expression' },
      { row: 6, column: 'vars', message: 'must be a mapping of variable names to values' },
    ]);
    expect(r.issues[0]!.raw).toBe('not json');
  });

  test('YAML: a list, or { tests: [...] }; unknown case fields are kept', () => {
    const r = parseYamlDataset('- vars: { q: hi }\n  assert: [{ type: icontains, value: hello }]\n  options: { provider: x }\n- vars: { q: 2 }\n  threshold: 3\n');
    expect(r.cases).toEqual([{ vars: { q: 'hi' }, assert: [{ type: 'icontains', value: 'hello' }], options: { provider: 'x' } }]);
    expect(r.issues.map(({ raw: _raw, ...i }) => i)).toEqual([{ row: 2, column: 'threshold', message: 'must be from 0 to 1' }]);
    expect(parseYamlDataset('tests:\n  - vars: { a: b }\n').cases).toHaveLength(1);
    expect(parseYamlDataset('a: [').issues[0]!.message).toMatch(/^is not valid YAML/);
  });
});

describe('saving a dataset', () => {
  const cases: TestCase[] = [
    { vars: { review: 'Great, "really"\nloved it', topic: 'film' }, assert: [{ type: 'equals', value: 'Positive' }, { type: 'levenshtein', value: 'x', threshold: 2 }], description: 'first' },
    { vars: { review: '', topic: 'book' }, assert: [{ type: 'contains-any', value: ['a', 'b'] }], threshold: 0.5 },
  ];

  test('CSV round trip', () => {
    const { text, lost } = serializeCsv(cases);
    expect(lost).toEqual([]);
    expect(text.split('\r\n')[0]).toBe('review,topic,__expected1,__expected2,__description,__threshold');
    const back = parseCsv(text);
    expect(back.issues).toEqual([]);
    expect(back.cases).toEqual([cases[0], { ...cases[1], description: undefined }].map((c) => JSON.parse(JSON.stringify(c))));
  });

  test('CSV lists what it cannot hold instead of dropping it silently', () => {
    const { lost } = serializeCsv([{ vars: { a: '1' }, assert: [{ type: 'contains', value: 'x', weight: 2 }], options: { x: 1 } }]);
    expect(lost).toEqual([
      'case 1: check 1 (contains) has settings a CSV cell cannot hold; save as YAML or JSONL to keep them',
      'case 1: options cannot be held in CSV',
    ]);
  });

  test('JSONL and YAML round trips keep everything', () => {
    const rich: TestCase[] = [...cases, { vars: { review: 'x' }, assert: [{ type: 'is-json', value: { type: 'object' }, weight: 2, target: 'output' }], options: { a: 1 } }];
    expect(parseJsonl(serializeJsonl(rich)).cases).toEqual(rich);
    expect(parseYamlDataset(serializeYamlDataset(rich)).cases).toEqual(rich);
  });

  test('property: any text values survive CSV, TSV, JSONL and YAML', () => {
    const value = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n', '\t', ' ', 'é', '=', '#') , maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.record({ x: value, y: value }), { minLength: 1, maxLength: 5 }), (rows) => {
        const cs: TestCase[] = rows.map((vars) => ({ vars, assert: [] }));
        const csv = parseCsv(serializeCsv(cs).text);
        const tsv = parsePastedTable(serializeCsv(cs, '\t').text);
        // a row whose cells are all blank is a blank line to a spreadsheet: it is skipped
        const kept = cs.filter((c) => Object.values(c.vars).some((v) => v.trim() !== ''));
        expect(csv.cases).toEqual(kept);
        expect(tsv.cases).toEqual(kept);
        expect(parseJsonl(serializeJsonl(cs)).cases).toEqual(cs);
        expect(parseYamlDataset(serializeYamlDataset(cs)).cases).toEqual(cs);
      }),
      { numRuns: 150 },
    );
  });
});

describe('formats by name', () => {
  test('the extension picks the format; every format saves and reads back the same cases', () => {
    expect(['a.csv', 'b.TSV', 'c.jsonl', 'd.yml', 'e.json', 'f.txt'].map(datasetFormatOf)).toEqual(['csv', 'tsv', 'jsonl', 'yaml', 'yaml', null]);
    const cases: TestCase[] = [{ vars: { q: 'a\tb, "c"' }, assert: [{ type: 'icontains', value: 'x' }], description: 'd' }];
    for (const format of ['csv', 'tsv', 'jsonl', 'yaml'] as const) {
      const saved = serializeDataset(cases, format);
      expect(saved.lost).toEqual([]);
      expect(parseDataset(saved.text, format).cases).toEqual(cases);
    }
  });
});
