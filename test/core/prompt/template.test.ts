// The template schema: validation in words, migration from schema 0, refusal of newer schemas,
// stable key order, YAML round trip and the hash.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  assemble,
  CURRENT_SCHEMA_VERSION,
  defaultTemplate,
  hashTemplate,
  parseTemplate,
  STARTERS,
  TEMPLATE_KEY_ORDER,
  templateFrom,
  toPlain,
  type Template,
} from '../../../core/prompt';

const errorOf = (raw: unknown): string => {
  const r = parseTemplate(raw);
  if (r.ok) throw new Error('expected an error');
  return r.error;
};
const minimal = { schemaVersion: 1, name: 'Minimal' };

describe('parseTemplate: valid templates', () => {
  it('fills every default in a minimal template', () => {
    const r = parseTemplate(minimal);
    expect(r).toEqual({
      ok: true,
      migratedFrom: null,
      template: {
        schemaVersion: 1,
        name: 'Minimal',
        description: '',
        tags: [],
        mode: 'completion',
        technique: 'zero-shot',
        system: '',
        instruction: '',
        examples: [],
        exampleFormat: 'Input: {{input}}\nOutput: {{output}}',
        exampleSeparator: '\n\n',
        input: '{{text}}',
        chainOfThought: { trigger: "Let's think step by step.", placement: 'after-input', answerFormat: '{{reasoning}}\nAnswer: {{output}}' },
        chat: { instructionPlacement: 'first-user' },
        extraction: { rule: 'full' },
        variables: [],
        sampling: {},
        modelHint: '',
        notes: '',
      },
    });
  });

  it('keeps everything a full template says', () => {
    const full = {
      schemaVersion: 1,
      name: 'Full',
      description: 'd',
      tags: ['a', 'b'],
      mode: 'chat',
      technique: 'chain-of-thought',
      system: 's',
      instruction: 'i {{x}}',
      examples: [{ input: 'in', output: 'out', reasoning: 'why', enabled: false }],
      exampleFormat: 'Q: {{input}}\nA: {{output}}',
      exampleSeparator: '\n---\n',
      input: '{{x}}',
      chainOfThought: { trigger: 'Think.', placement: 'before-input', answerFormat: 'Because {{reasoning}}, {{output}}' },
      chat: { instructionPlacement: 'system' },
      extraction: { rule: 'regex', pattern: '(\\d+)', flags: 'i' },
      variables: [{ name: 'x', description: 'an x', default: '1' }],
      sampling: { preset: 'Balanced', temperature: 0.3, stop: ['\n\n'], repeatPenalty: 1.1 },
      constraint: { type: 'grammar', gbnf: 'root ::= "yes" | "no"' },
      modelHint: 'any 7B instruct',
      notes: 'n',
    };
    const r = parseTemplate(full);
    expect(r.ok && r.template).toEqual(full);
  });

  it('a template with a JSON schema constraint', () => {
    const r = parseTemplate({ ...minimal, constraint: { type: 'json-schema', schema: { type: 'object', properties: { a: { type: 'string' } } } } });
    expect(r.ok).toBe(true);
  });
});

describe('parseTemplate: invalid templates name the field', () => {
  it.each([
    [null, 'the template is empty'],
    ['name: x', 'the template must be a mapping of fields (YAML) or an object (JSON)'],
    [[1], 'the template must be a mapping of fields (YAML) or an object (JSON)'],
    [{ schemaVersion: 1 }, 'name is required'],
    [{ ...minimal, name: '  ' }, 'name must not be empty'],
    [{ ...minimal, mode: 'voice' }, 'mode must be completion or chat'],
    [{ ...minimal, technique: 'two-shot' }, 'technique must be zero-shot, one-shot, few-shot or chain-of-thought'],
    [{ ...minimal, examples: [{ input: 'a', output: 'b' }, { input: 'c', output: 3 }] }, 'examples.1.output must be text'],
    [{ ...minimal, examples: [{ input: 'a' }] }, 'examples.0.output is required'],
    [{ ...minimal, examples: [{ input: 'a', output: 'b', enabled: 'yes' }] }, 'examples.0.enabled must be true or false'],
    [{ ...minimal, examples: 'none' }, 'examples must be a list'],
    [{ ...minimal, sampling: { temperature: 5 } }, 'sampling.temperature must be at most 2'],
    [{ ...minimal, sampling: { maxTokens: 1.5 } }, 'sampling.maxTokens must be a whole number'],
    [{ ...minimal, sampling: { temprature: 1 } }, 'sampling has an unknown field "temprature"'],
    [{ ...minimal, instrucion: 'x' }, 'the template has an unknown field "instrucion"'],
    [{ ...minimal, exampleFormat: 'Q: {{input}}' }, 'exampleFormat must contain {{output}} exactly once (it marks where the answer goes)'],
    [{ ...minimal, exampleFormat: 'A: {{output}} Q: {{input}}' }, 'exampleFormat must have {{input}} before {{output}}'],
    [{ ...minimal, exampleFormat: '{{input}} {{reasoning}} {{output}}' }, 'exampleFormat must not contain {{reasoning}}: reasoning goes in chainOfThought.answerFormat'],
    [{ ...minimal, chainOfThought: { answerFormat: 'Answer: {{output}}' } }, 'chainOfThought.answerFormat must contain {{reasoning}} exactly once'],
    [{ ...minimal, chainOfThought: { placement: 'middle' } }, 'chainOfThought.placement must be after-input or before-input'],
    [{ ...minimal, variables: [{ name: 'a b' }] }, 'variables.0.name must start with a letter or _ and hold only letters, digits, _, - and . (at most 64)'],
    [{ ...minimal, variables: [{ name: 'output' }] }, 'variables.0.name is reserved: input, output, reasoning are filled in from the examples'],
    [{ ...minimal, variables: [{ name: 'a' }, { name: 'a' }] }, 'variables.1.name "a" is already declared by variables.0'],
    [{ ...minimal, tags: ['x', 'x'] }, 'tags.1 "x" is listed twice'],
    [{ ...minimal, extraction: { rule: 'regex', pattern: '(' } }, 'extraction.pattern is not a valid regular expression (Unterminated group)'],
    [{ ...minimal, extraction: { rule: 'regex', pattern: 'a', flags: 'g' } }, 'extraction.flags may only hold the flags i, m, s and u, each once'],
    [{ ...minimal, extraction: { rule: 'after-marker' } }, 'extraction.marker is required'],
    [{ ...minimal, extraction: { rule: 'middle' } }, 'extraction.rule must be full, first-line, last-line, after-marker or regex'],
    [{ ...minimal, constraint: { type: 'xml' } }, 'constraint.type must be json-schema or grammar'],
    [{ ...minimal, constraint: { type: 'json-schema', schema: 'object' } }, 'constraint.schema must be a JSON schema (a mapping)'],
    [{ ...minimal, constraint: { type: 'grammar', gbnf: '' } }, 'constraint.gbnf must not be empty'],
    [{ ...minimal, schemaVersion: '1' }, 'schemaVersion must be a whole number'],
    [{ ...minimal, schemaVersion: 1.5 }, 'schemaVersion must be a whole number'],
  ])('%j -> %s', (raw, message) => {
    expect(errorOf(raw)).toBe(message);
  });

  it('lists up to three problems and counts the rest', () => {
    expect(errorOf({ schemaVersion: 1, mode: 1, technique: 2, system: 3, instruction: 4 })).toBe(
      'name is required; mode must be completion or chat; technique must be zero-shot, one-shot, few-shot or chain-of-thought (and 2 more problems)',
    );
  });
});

describe('schema versions', () => {
  it('refuses a newer schema in words', () => {
    expect(errorOf({ schemaVersion: 3, name: 'x', whatever: true })).toBe(
      'this template was saved by a newer Shotglass (schema 3); this version reads up to 1',
    );
    expect(errorOf({ schemaVersion: CURRENT_SCHEMA_VERSION + 1 })).toContain(`(schema ${CURRENT_SCHEMA_VERSION + 1})`);
  });

  const v0 = {
    name: 'Old sentiment',
    description: 'from the prototype',
    technique: 'cot',
    system_prompt: 'Be terse.',
    instruction: 'Label it.',
    examples: [
      ['Great!', 'Positive'],
      ['Bad.', 'Negative', 'It says bad.'],
    ],
    example_template: 'Q: {{input}}\nA: {{output}}',
    separator: '\n\n',
    prompt: '{{review}}',
    cot_trigger: 'Think first.',
    variables: { review: 'Fine.', tone: null },
    temperature: 0.2,
    max_tokens: 64,
    stop: '\n',
    notes: 'n',
  };

  it('migrates schema 0 (no schemaVersion, examples as pairs) to schema 1', () => {
    const r = parseTemplate(v0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(0);
    expect(r.template).toEqual(
      templateFrom({
        schemaVersion: 1,
        name: 'Old sentiment',
        description: 'from the prototype',
        technique: 'chain-of-thought',
        system: 'Be terse.',
        instruction: 'Label it.',
        examples: [
          { input: 'Great!', output: 'Positive', enabled: true },
          { input: 'Bad.', output: 'Negative', reasoning: 'It says bad.', enabled: true },
        ],
        exampleFormat: 'Q: {{input}}\nA: {{output}}',
        exampleSeparator: '\n\n',
        input: '{{review}}',
        chainOfThought: { trigger: 'Think first.' },
        variables: [{ name: 'review', default: 'Fine.' }, { name: 'tone' }],
        sampling: { temperature: 0.2, maxTokens: 64, stop: ['\n'] },
        notes: 'n',
      }),
    );
    // and it assembles like any other template
    const p = assemble(r.template, { tone: 'x' });
    expect(p.mode === 'completion' && p.text).toBe(
      "Label it.\n\nQ: Great!\nA: Positive\n\nQ: Bad.\nA: Think first. It says bad.\nAnswer: Negative\n\nQ: Fine.\nA: Think first.",
    );
  });

  it('an explicit schemaVersion 0 migrates too; a migrated template parses again unchanged', () => {
    const r = parseTemplate({ ...v0, schemaVersion: 0 });
    expect(r.ok && r.migratedFrom).toBe(0);
    if (!r.ok) return;
    expect(parseTemplate(toPlain(r.template))).toEqual({ ok: true, template: r.template, migratedFrom: null });
  });

  it('says where a schema 0 file is wrong, and that it was upgraded', () => {
    expect(errorOf({ ...v0, examples: [['only one']] })).toBe(
      'examples.0 must be an [input, output] pair or an [input, output, reasoning] triple (read as schema 0 and upgraded to 1)',
    );
    expect(errorOf({ ...v0, temperature: 9 })).toBe('sampling.temperature must be at most 2 (read as schema 0 and upgraded to 1)');
    expect(errorOf({ ...v0, variables: ['review'] })).toBe('variables must be a mapping of name to default (read as schema 0 and upgraded to 1)');
  });
});

describe('stable key order and YAML', () => {
  it('toPlain writes keys in the schema order at every level, whatever the input order', () => {
    const t = templateFrom({
      notes: 'n',
      sampling: { stop: ['x'], temperature: 0.1, preset: 'Balanced' },
      variables: [{ default: 'd', name: 'v', description: 'x' }],
      examples: [{ enabled: true, reasoning: 'r', output: 'o', input: 'i' }],
      name: 'Order',
      schemaVersion: 1,
    });
    const plain = toPlain(t);
    expect(Object.keys(plain)).toEqual(TEMPLATE_KEY_ORDER.filter((k) => k !== 'constraint'));
    expect(TEMPLATE_KEY_ORDER.slice(0, 5)).toEqual(['schemaVersion', 'name', 'description', 'tags', 'mode']);
    expect(Object.keys((plain.examples as object[])[0]!)).toEqual(['input', 'output', 'reasoning', 'enabled']);
    expect(Object.keys((plain.variables as object[])[0]!)).toEqual(['name', 'description', 'default']);
    expect(Object.keys(plain.sampling as object)).toEqual(['preset', 'temperature', 'stop']);
  });

  it('keeps the JSON schema in its own order (the order is meaning for a JSON grammar)', () => {
    const schema = { type: 'object', properties: { zeta: { type: 'string' }, alpha: { type: 'number' } } };
    const t = templateFrom({ ...minimal, constraint: { type: 'json-schema', schema } });
    expect(JSON.stringify((toPlain(t).constraint as { schema: unknown }).schema)).toBe(JSON.stringify(schema));
  });

  it('YAML round trip: write, read, parse gives the same template and the same YAML', () => {
    for (const { template } of STARTERS) {
      const yaml = YAML.stringify(toPlain(template));
      const back = parseTemplate(YAML.parse(yaml));
      expect(back).toEqual({ ok: true, template, migratedFrom: null });
      if (back.ok) expect(YAML.stringify(toPlain(back.template))).toBe(yaml);
    }
  });

  it('a hand-written YAML file', () => {
    const yaml = [
      'schemaVersion: 1',
      'name: Sentiment',
      'technique: one-shot',
      'examples:',
      '  - input: This movie was wonderful!',
      '    output: Positive.',
      'exampleFormat: "Q: {{input}}\\nA: {{output}}"',
      'input: "{{review}}"',
      'sampling: { preset: Deterministic, maxTokens: 8, stop: ["\\n"] }',
    ].join('\n');
    const r = parseTemplate(YAML.parse(yaml));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = assemble(r.template, { review: 'This movie sucks!' });
    expect(p.mode === 'completion' && p.text).toBe('Q: This movie was wonderful!\nA: Positive.\n\nQ: This movie sucks!\nA:');
  });
});

describe('hashTemplate', () => {
  /** The same object with keys in another order at every level (user JSON inside constraint aside). */
  function shuffleKeys(value: unknown, rand: () => number, path: string[] = []): unknown {
    if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand, path));
    if (value && typeof value === 'object') {
      if (path.join('.') === 'constraint.schema') return value;
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      }
      return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rand, [...path, k])]));
    }
    return value;
  }

  it('is the SHA-256 of the canonical JSON', () => {
    const t = defaultTemplate();
    expect(hashTemplate(t)).toBe(createHash('sha256').update(JSON.stringify(toPlain(t)), 'utf8').digest('hex'));
    expect(hashTemplate(t)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STARTERS), fc.integer(), ({ template }, seed) => {
        let s = seed >>> 0;
        const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
        const shuffled = shuffleKeys(template, rand) as Template;
        expect(hashTemplate(shuffled)).toBe(hashTemplate(template));
        const reparsed = parseTemplate(shuffleKeys(toPlain(template), rand));
        expect(reparsed.ok && hashTemplate(reparsed.template)).toBe(hashTemplate(template));
      }),
      { numRuns: 50 },
    );
  });

  it('changes with any content, notes and disabled examples included', () => {
    const t = STARTERS.find((s) => s.id === 'sentiment-few-shot')!.template;
    const variants: Template[] = [
      { ...t, notes: t.notes + ' ' },
      { ...t, examples: t.examples.map((e, i) => (i === 3 ? { ...e, enabled: false } : e)) },
      { ...t, technique: 'one-shot' },
      { ...t, sampling: { ...t.sampling, seed: 1 } },
      { ...t, exampleSeparator: '\n' },
    ];
    const hashes = new Set([t, ...variants].map(hashTemplate));
    expect(hashes.size).toBe(variants.length + 1);
  });

  it('is pinned: what is hashed, and the hash (a change here breaks every recorded run hash)', () => {
    const t = templateFrom(minimal);
    expect(JSON.stringify(toPlain(t))).toBe(
      '{"schemaVersion":1,"name":"Minimal","description":"","tags":[],"mode":"completion","technique":"zero-shot",' +
        '"system":"","instruction":"","examples":[],"exampleFormat":"Input: {{input}}\\nOutput: {{output}}",' +
        '"exampleSeparator":"\\n\\n","input":"{{text}}","chainOfThought":{"trigger":"Let\'s think step by step.",' +
        '"placement":"after-input","answerFormat":"{{reasoning}}\\nAnswer: {{output}}"},' +
        '"chat":{"instructionPlacement":"first-user"},"extraction":{"rule":"full"},"variables":[],"sampling":{},' +
        '"modelHint":"","notes":""}',
    );
    expect(hashTemplate(t)).toBe('06578e3df0c00782ada76f1b769c9cb7e93682f95bd5732e475fbb54b11264d7');
  });
});

describe('defaultTemplate', () => {
  it('is valid, fresh each time, and assembles with its one variable', () => {
    const a = defaultTemplate();
    const b = defaultTemplate();
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    a.examples.push({ input: 'x', output: 'y', enabled: true });
    expect(b.examples).toEqual([]);
    expect(parseTemplate(toPlain(b))).toEqual({ ok: true, template: b, migratedFrom: null });
    const p = assemble(b, { text: 'hello' });
    expect(p.mode === 'completion' && p.text).toBe('Input: hello\nOutput:');
  });
});
