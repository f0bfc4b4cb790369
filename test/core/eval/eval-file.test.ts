import { describe, expect, test } from 'vitest';
import { parseYaml } from '../../../core/library/yaml-format.js';
import { expandSweeps, parseEvalFile, variantIds } from '../../../core/eval/index.js';
import { ComparisonFileSchema } from '../../../core/compare/file.js';

const FILE = `
name: Sentiment, zero-shot vs few-shot
dataset: sentiment.csv
variants:
  - { label: zero-shot, model: models/demo.gguf, template: sentiment-0.yaml }
  - label: few-shot
    model: models/demo.gguf
    template: sentiment-3.yaml
    sweep: { kind: temperature, values: [0, 0.7] }
checks:
  - { type: icontains, value: "{{label}}" }
repeats: 3
seed: 42
extraction: { rule: first-line }
`;

const parse = (text: string) => {
  const doc = parseYaml(text);
  if (!doc.ok) throw new Error(doc.error);
  return parseEvalFile(doc.value);
};

describe("Shotglass's evaluation file", () => {
  test('reads with defaults filled in', () => {
    const r = parse(FILE);
    if (!r.ok) throw new Error(r.error);
    expect(r.file).toMatchObject({ name: 'Sentiment, zero-shot vs few-shot', dataset: 'sentiment.csv', repeats: 3, seed: 42, vars: {}, extraction: { rule: 'first-line' } });
    expect(r.file.variants[0]).toEqual({ label: 'zero-shot', model: 'models/demo.gguf', template: 'sentiment-0.yaml', vars: {}, sampling: {} });
  });

  test('an inline dataset is validated like a dataset file', () => {
    expect(parse('dataset: [{ vars: { a: b }, assert: [{ type: equals, value: c }] }]\nvariants: [{ model: m.gguf, prompt: "{{a}}" }]')).toMatchObject({ ok: true });
    expect(parse('dataset: [{ vars: { a: b }, threshold: 2 }]\nvariants: [{ model: m.gguf, prompt: x }]')).toEqual({ ok: false, error: 'dataset.0.threshold must be from 0 to 1' });
  });

  test('errors name the field', () => {
    expect(parse('dataset: a.csv\nvariants: []')).toEqual({ ok: false, error: 'variants needs at least 1 variant' });
    expect(parse('dataset: a.csv\nvariants: [{ model: m.gguf, prompt: x, template: t.yaml }]')).toEqual({ ok: false, error: 'variants.0 needs exactly one of prompt, messages or template' });
    expect(parse('dataset: a.csv\nvariants: [{ id: a, model: m, prompt: x }, { id: a, model: m, prompt: y }]')).toEqual({ ok: false, error: 'variants has the same id twice' });
    expect(parse('dataset: a.csv\nvariants: [{ model: m, prompt: x, sweep: { kind: colour, values: [1] } }]')).toMatchObject({ ok: false, error: expect.stringMatching(/^variants\.0\.sweep\.kind must be temperature, /) });
    expect(parse('variants: [{ model: m, prompt: x }]')).toMatchObject({ ok: false, error: expect.stringMatching(/^dataset /) });
  });

  test('a comparison file variant is an evaluation variant (one schema for both)', () => {
    const variant = { label: 'x', model: 'm.gguf', messages: [{ role: 'user', content: 'hi' }], sampling: { temperature: 0.2 }, vars: { a: 'b' } };
    const comparison = ComparisonFileSchema.parse({ variants: [variant, variant] });
    const evaluation = parseEvalFile({ dataset: 'd.csv', variants: [variant] });
    if (!evaluation.ok) throw new Error(evaluation.error);
    expect(evaluation.file.variants[0]).toEqual(comparison.variants[0]);
  });

  test('sweeps expand into variants with the setting and a label; shots and CoT wait for the runner', () => {
    const r = parse(FILE);
    if (!r.ok) throw new Error(r.error);
    const expanded = expandSweeps([...r.file.variants, { model: 'a.gguf', prompt: 'x', vars: {}, sampling: {}, sweep: { kind: 'model', values: ['b.gguf'] } }, { model: 'a.gguf', template: 't.yaml', vars: {}, sampling: {}, sweep: { kind: 'shots', values: [0, 3] } }]);
    expect(expanded.map((v) => [v.label, v.model, v.sampling])).toEqual([
      ['zero-shot', 'models/demo.gguf', {}],
      ['few-shot (temperature 0)', 'models/demo.gguf', { temperature: 0 }],
      ['few-shot (temperature 0.7)', 'models/demo.gguf', { temperature: 0.7 }],
      ['Variant C (model b.gguf)', 'b.gguf', {}],
      [undefined, 'a.gguf', {}],
    ]);
    expect(expanded[4]!.sweep).toEqual({ kind: 'shots', values: [0, 3] });
    expect(expanded.slice(0, 4).every((v) => v.sweep === undefined)).toBe(true);
  });

  test('variant ids: as written, else a, b, c', () => {
    expect(variantIds([{ model: 'm', vars: {}, sampling: {} }, { id: 'few', model: 'm', vars: {}, sampling: {} }, { model: 'm', vars: {}, sampling: {} }])).toEqual(['a', 'few', 'c']);
  });
});
