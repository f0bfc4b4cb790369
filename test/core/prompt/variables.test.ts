// Placeholder scanning, escapes, positions, and the variables of a template; the diagnostics.
import { describe, expect, it } from 'vitest';
import {
  findMalformedPlaceholders,
  lintTemplate,
  listVariableUses,
  renderTemplate,
  resolveValues,
  scanEscapes,
  scanPlaceholders,
  templateFrom,
  tokenize,
  undeclaredVariables,
  unusedDeclaredVariables,
  usedVariableNames,
  variableNames,
  type TemplateInput,
} from '../../../core/prompt';

const values: Record<string, string> = { x: 'X', 'a.b-c_d': 'ABC', größe: 'G', _y: 'Y' };
const render = (s: string) => renderTemplate(s, (n) => values[n]).text;

describe('placeholder syntax', () => {
  it.each([
    ['{{x}}', 'X'],
    ['{{ x }}', 'X'],
    ['{{\tx  }}', 'X'],
    ['{{a.b-c_d}} {{größe}} {{_y}}', 'ABC G Y'],
    ['{{{x}}}', '{X}'],
    ['{"k": "{{x}}"}', '{"k": "X"}'],
    ['{{\nx}}', '{{\nx}}'],
    ['{{1x}}', '{{1x}}'],
    ['{{x y}}', '{{x y}}'],
    ['{{}} }} {', '{{}} }} {'],
    ['\\{{x}}', '{{x}}'],
    ['\\\\{{x}}', '\\X'],
    ['\\\\\\{{x}}', '\\{{x}}'],
    ['C:\\path\\{x} \\n \\\\', 'C:\\path\\{x} \\n \\\\'],
    ['\\{{', '{{'],
    ['\\\\{{ not a name }}', '\\{{ not a name }}'],
  ])('%j renders %j', (source, expected) => {
    expect(render(source)).toBe(expected);
  });

  it('lists names in order of first use, without repeats', () => {
    expect(variableNames('{{b}} {{a}} {{ b }} \\{{c}}')).toEqual(['b', 'a']);
  });

  it('tokenizes with ranges', () => {
    expect(tokenize('a {{ x }}\\{{')).toEqual([
      { kind: 'text', start: 0, end: 2, value: 'a ' },
      { kind: 'variable', start: 2, end: 9, name: 'x', nameStart: 5, nameEnd: 6 },
      { kind: 'escape', start: 9, end: 12, value: '{{' },
    ]);
  });

  it('gives Monaco-style positions (1-based, UTF-16 columns)', () => {
    const source = 'Hi 😀\n  {{ name }} and {{x}}';
    expect(scanPlaceholders(source)).toEqual([
      { name: 'name', start: 8, end: 18, startPosition: { line: 2, column: 3 }, endPosition: { line: 2, column: 13 } },
      { name: 'x', start: 23, end: 28, startPosition: { line: 2, column: 18 }, endPosition: { line: 2, column: 23 } },
    ]);
    expect(scanEscapes('ab\n\\\\\\{{')).toEqual([
      { renders: '\\{{', start: 3, end: 8, startPosition: { line: 2, column: 1 }, endPosition: { line: 2, column: 6 } },
    ]);
  });

  it('finds {{ … }} that is not a placeholder (but not escaped braces)', () => {
    expect(findMalformedPlaceholders('{{ user name }} {{ok}} {{}} \\{{ fine }} {{1st}}').map((m) => [m.text, m.start])).toEqual([
      ['{{ user name }}', 0],
      ['{{}}', 23],
      ['{{1st}}', 40],
    ]);
  });
});

const tpl = (over: Partial<TemplateInput>) =>
  templateFrom({ schemaVersion: 1, name: 't', exampleFormat: 'Q: {{input}}\nA: {{output}}', input: '{{text}}', ...over });

describe('variables of a template', () => {
  const t = tpl({
    mode: 'completion',
    system: 'As {{persona}}',
    instruction: 'Use a {{tone}} tone for {{text}}.',
    exampleFormat: '{{label}}: {{input}}\nA: {{output}}',
    variables: [
      { name: 'tone', default: 'calm' },
      { name: 'persona' },
      { name: 'unused' },
    ],
  });

  it('lists the uses in rendered fields, with field and built-in flag', () => {
    expect(listVariableUses(t).map((u) => [u.field, u.name, u.builtin])).toEqual([
      ['instruction', 'tone', false],
      ['instruction', 'text', false],
      ['exampleFormat', 'label', false],
      ['exampleFormat', 'input', true],
      ['exampleFormat', 'output', true],
      ['input', 'text', false],
    ]);
    expect(listVariableUses(t, { all: true }).map((u) => u.field)).toContain('system');
  });

  it('used, undeclared, unused and resolved values', () => {
    expect(usedVariableNames(t)).toEqual(['tone', 'text', 'label']);
    expect(undeclaredVariables(t)).toEqual(['text', 'label']);
    expect(unusedDeclaredVariables(t)).toEqual(['unused']);
    expect(resolveValues(t, { text: 'T' })).toEqual({ values: { tone: 'calm', text: 'T' }, defaultsApplied: ['tone'], missing: ['label'] });
    // in chat mode the system message is used and the example format is not
    expect(usedVariableNames({ ...t, mode: 'chat' })).toEqual(['persona', 'tone', 'text']);
  });
});

describe('lintTemplate', () => {
  it('a clean template has no diagnostics', () => {
    expect(lintTemplate(tpl({ variables: [{ name: 'text' }] }))).toEqual([]);
  });

  it('reports undeclared and unused variables, built-ins out of place and mistyped placeholders, with ranges', () => {
    const t = tpl({
      instruction: 'Say {{output}} in {{ a language }} for {{who}}.',
      variables: [{ name: 'text' }, { name: 'spare' }],
    });
    expect(lintTemplate(t).map((d) => [d.severity, d.field, d.message, d.range?.start])).toEqual([
      ['warning', 'instruction', '{{output}} is only filled in from the examples inside the example and answer formats; here it is a variable of its own', 4],
      ['warning', 'instruction', '{{who}} is not declared in variables: it needs a value at every run', 39],
      ['warning', 'instruction', '{{ a language }} is not a placeholder and stays as text (names use letters, digits, _, - and .; write \\{{ for literal braces)', 18],
      ['info', 'variables.1', 'variable "spare" is declared but not used', undefined],
    ]);
  });

  it('reports technique problems', () => {
    const cot = tpl({
      technique: 'chain-of-thought',
      variables: [{ name: 'text' }],
      system: 'unused in completion',
      examples: [
        { input: 'a', output: '1' },
        { input: 'b', output: '2', reasoning: "Let's think step by step. b is 2." },
      ],
      extraction: { rule: 'after-marker', marker: 'Result:' },
    });
    expect(lintTemplate(cot).map((d) => [d.severity, d.field, d.message])).toEqual([
      ['info', 'examples.0', 'example 1 has no reasoning: chain-of-thought shows only its answer'],
      ['warning', 'examples.1.reasoning', "example 2's reasoning starts with the trigger, which is already put before it: it would appear twice"],
      ['warning', 'extraction.marker', 'the examples\' answers (chainOfThought.answerFormat) do not show the marker "Result:", so the model may not write it'],
      ['info', 'system', 'the system message is only used in chat mode'],
    ]);
    const few = tpl({ technique: 'few-shot', variables: [{ name: 'text' }], examples: [{ input: 'a', output: 'b', enabled: false }] });
    expect(lintTemplate(few).map((d) => d.message)).toEqual(['Few-shot needs an enabled example; the prompt shows none']);
  });

  it('reports unusable formats as errors (for templates edited past validation)', () => {
    const t = { ...tpl({ variables: [{ name: 'text' }] }), exampleFormat: 'Q: {{input}}' };
    expect(lintTemplate(t)).toEqual([
      { severity: 'error', field: 'exampleFormat', message: 'exampleFormat must contain {{output}} exactly once (it marks where the answer goes)' },
    ]);
  });
});
