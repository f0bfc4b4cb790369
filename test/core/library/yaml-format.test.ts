// Template YAML: readable (multi-line text as `|` blocks) and exact (every string reads back as
// itself: trailing newlines and spaces, unicode, braces, leading spaces, yes/no/1.0, controls).
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { fitsBlockScalar, parseYaml, toYaml } from '../../../core/library/yaml-format.js';

const roundTrip = (value: unknown) => {
  const text = toYaml(value);
  // through UTF-8 bytes, as on disk
  const back = parseYaml(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'utf8')));
  if (!back.ok) throw new Error(`${back.error}\n${text}`);
  return back.value;
};

const tricky = fc.constantFrom(
  '\n', '\n\n', ' ', '  ', '\t', 'yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', 'true', '1.0', '012', '1_000', '1:20', '0x1F',
  '{{x}}', '{{ name }}', '#', '- ', ': ', '"', "'", '\r', '\r\n', '\u2028', '\u0085', '\ufeff', '|', '>', '%', '@', '`', '---',
  '...', 'é', 'ß', '日本語', '😀', '\u0301', '\\', '\u0000', '\u00a0', '[', '{', '&a', '*a', '!tag',
);
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.oneof(tricky, fc.string({ unit: 'grapheme-ascii', maxLength: 6 })), { maxLength: 24 }).map((parts) => parts.join('')),
);

describe('template YAML', () => {
  it('round-trips any string exactly (property)', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(roundTrip({ prompt: value })).toEqual({ prompt: value });
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips nested templates with their key order (property)', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.double({ noNaN: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(text, fc.constantFrom('name', 'tags', 'yes', '1')), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), value, { maxKeys: 6 }), (plain) => {
        const back = roundTrip(plain) as Record<string, unknown>;
        expect(back).toEqual(plain);
        expect(Object.keys(back)).toEqual(Object.keys(plain));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes prompts as readable | blocks, keeping trailing newlines and leading spaces', () => {
    const cases: [string, string][] = [
      ['Q: {{question}}\nA:', 'prompt: |-\n  Q: {{question}}\n  A:\n'],
      ['Q: {{question}}\nA:\n', 'prompt: |\n  Q: {{question}}\n  A:\n'],
      ['line\n\n\n', 'prompt: |+\n  line\n\n\n'],
      ['  indented\nnot\n', 'prompt: |2\n    indented\n  not\n'],
      ['trailing  \nspaces\t\n', 'prompt: |\n  trailing  \n  spaces\t\n'],
      ['Übersetze: «{{text}}»\n日本語 😀\n', 'prompt: |\n  Übersetze: «{{text}}»\n  日本語 😀\n'],
      ['- not a list\n# not a comment\nkey: not a map\n', 'prompt: |\n  - not a list\n  # not a comment\n  key: not a map\n'],
    ];
    for (const [value, yaml] of cases) {
      expect(toYaml({ prompt: value })).toBe(yaml);
      expect(roundTrip({ prompt: value })).toEqual({ prompt: value });
    }
  });

  it('quotes what a YAML 1.1 or 1.2 reader would not read as the same string', () => {
    for (const value of ['yes', 'no', 'on', 'Off', 'y', '1.0', '012', '1_000', '1:20', 'true', 'null', '~', '', ' lead', '{{x}}']) {
      const yaml = toYaml({ v: value });
      expect(yaml).toMatch(/^v: ["']/);
      expect(YAML.parse(yaml, { version: '1.1' }).v).toBe(value);
      expect(YAML.parse(yaml).v).toBe(value);
    }
    expect(toYaml({ v: 'plain words' })).toBe('v: plain words\n');
  });

  it('falls back to double quotes for text a block cannot hold', () => {
    for (const value of ['a\r\nb\n', 'x\n  ', '  \nx', '\n  \n', 'bell\u0007\nx', 'bom\ufeff\nx']) {
      expect(fitsBlockScalar(value)).toBe(false);
      expect(toYaml({ v: value })).toMatch(/^v: "/);
      expect(roundTrip({ v: value })).toEqual({ v: value });
    }
  });

  it('explains invalid YAML with its line', () => {
    const result = parseYaml('name: a\nprompt: [unclosed\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^is not valid YAML/);
    const duplicate = parseYaml('name: a\nname: b\n');
    expect(duplicate.ok).toBe(false);
    if (!duplicate.ok) expect(duplicate.error).toMatch(/line 2/);
  });
});
