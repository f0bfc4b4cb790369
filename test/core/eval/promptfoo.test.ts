import { describe, expect, test } from 'vitest';
import { exportPromptfoo, importPromptfoo, SUPPORTED_TYPES, type FileReader } from '../../../core/eval/index.js';

/** The reader seam with files in memory (the Node reader is tested on real files in test/service/eval). */
const memoryReader =
  (files: Record<string, string>): FileReader =>
  async (path) => {
    if (!(path in files)) throw new Error('ENOENT');
    return files[path]!;
  };

// every check type Shotglass grades, each in its promptfoo form
const everyType = SUPPORTED_TYPES.map((type) => {
  switch (type) {
    case 'contains-any':
    case 'contains-all':
    case 'icontains-any':
    case 'icontains-all':
      return `{ type: ${type}, value: [a, b] }`;
    case 'is-json':
    case 'contains-json':
      return `{ type: ${type}, value: { type: object } }`;
    case 'levenshtein':
      return `{ type: ${type}, value: colour, threshold: 2 }`;
    case 'word-count':
      return `{ type: ${type}, value: { min: 1, max: 5 } }`;
    case 'label-margin':
    case 'perplexity':
      return `{ type: ${type}, threshold: 0.2 }`;
    default:
      return `{ type: ${type}, value: "x" }`;
  }
});

const CONFIG = `
description: Sentiment
prompts:
  - "Review: {{review}}\\nSentiment:"
  - file://prompts.txt
  - { label: chat, raw: file://chat.json }
providers:
  - id: file://models/demo.gguf
    config: { temperature: 0, max_tokens: 8, seed: 3 }
  - id: openai:gpt-4o-mini
    prompts: [chat]
defaultTest:
  vars: { lang: en }
  assert:
    - { type: not-contains, value: "As an AI" }
  options: { transform: output.trim() }
tests:
  - description: inline
    vars: { review: Great film }
    assert:
${everyType.map((t) => `      - ${t}`).join('\n')}
      - { type: similar, value: good, threshold: 0.8 }
      - { type: model-graded-closedqa, value: is it positive }
  - file://cases.csv
  - file://cases.jsonl
  - file://cases.yaml
outputPath: results.json
evaluateOptions: { maxConcurrency: 2 }
`;

const FILES = {
  'prompts.txt': 'Classify: {{review}}\n---\nSentiment of "{{review}}":',
  'chat.json': JSON.stringify([{ role: 'system', content: 'Label reviews.' }, { role: 'user', content: '{{review}}' }]),
  'cases.csv': 'review,__expected\n"Bad, awful",Negative\nfine,regex:(\n',
  'cases.jsonl': '{"vars": {"review": "ok"}, "assert": [{"type": "icontains", "value": "neutral"}]}\n',
  'cases.yaml': '- vars: { review: file://long-review.txt }\n  assert: [{ type: rouge-n, value: x }]\n',
  'long-review.txt': 'A long review.',
};

describe('importing a promptfoo config', () => {
  test('prompts × providers become variants; tests inline and from CSV/JSONL/YAML files; defaultTest applies to all', async () => {
    const r = await importPromptfoo(CONFIG, memoryReader(FILES));
    if (!r.ok) throw new Error(r.error);
    const { file, unsupported, issues, notes } = r.result;
    expect(file.name).toBe('Sentiment');
    // 4 prompts on the GGUF provider, and the chat prompt only on the narrowed provider
    expect(file.variants.map((v) => v.label)).toEqual([
      'prompt 1 · file://models/demo.gguf',
      'prompts.txt 1 · file://models/demo.gguf',
      'prompts.txt 2 · file://models/demo.gguf',
      'chat · file://models/demo.gguf',
      'chat · openai:gpt-4o-mini',
    ]);
    expect(file.variants[0]).toMatchObject({ model: 'models/demo.gguf', prompt: 'Review: {{review}}\nSentiment:', sampling: { temperature: 0, maxTokens: 8, seed: 3 } });
    expect(file.variants[3]!.messages).toEqual([{ role: 'system', content: 'Label reviews.' }, { role: 'user', content: '{{review}}' }]);
    expect(file.vars).toEqual({ lang: 'en' });
    expect(file.checks).toEqual([{ type: 'not-contains', value: 'As an AI' }]);
    const cases = file.dataset as Exclude<typeof file.dataset, string>;
    expect(cases.map((c) => c.vars.review)).toEqual(['Great film', 'Bad, awful', 'ok', 'A long review.']);
    // every supported type came through as written, the unsupported ones are kept and listed
    expect(cases[0]!.assert.map((a) => a.type)).toEqual([...SUPPORTED_TYPES, 'similar', 'model-graded-closedqa']);
    expect(unsupported).toEqual(['model-graded-closedqa', 'rouge-n', 'similar']);
    expect(issues).toEqual(['cases.csv: row 3, column __expected: the regex is not a valid regular expression']);
    expect(notes).toEqual(['provider openai:gpt-4o-mini is not a GGUF file: run with --model to evaluate its prompts here']);
    expect(file.promptfoo).toMatchObject({ extra: { outputPath: 'results.json', evaluateOptions: { maxConcurrency: 2 } }, defaultTest: { options: { transform: 'output.trim()' } } });
  });

  test('--model replaces the providers: one variant per prompt on that file', async () => {
    const r = await importPromptfoo(CONFIG, memoryReader(FILES), { model: 'other.gguf' });
    if (!r.ok) throw new Error(r.error);
    expect(r.result.file.variants.map((v) => [v.label, v.model])).toEqual([
      ['prompt 1', 'other.gguf'],
      ['prompts.txt 1', 'other.gguf'],
      ['prompts.txt 2', 'other.gguf'],
      ['chat', 'other.gguf'],
    ]);
    expect(r.result.notes).toEqual([]);
  });

  test('readable errors: a missing file, no providers, not YAML, no prompts', async () => {
    expect(await importPromptfoo('prompts: [file://nope.txt]\nproviders: [a.gguf]', memoryReader({}))).toEqual({ ok: false, error: 'cannot read nope.txt (ENOENT)' });
    expect(await importPromptfoo('prompts: [hi]', memoryReader({}))).toEqual({ ok: false, error: 'the config has no providers: give a model file (--model)' });
    expect(await importPromptfoo('prompts: [', memoryReader({}))).toMatchObject({ ok: false, error: expect.stringMatching(/^the config is not valid YAML/) });
    expect(await importPromptfoo('providers: [a.gguf]', memoryReader({}))).toMatchObject({ ok: false, error: expect.stringMatching(/^the config's prompts /) });
  });

  test('a missing tests file is an issue, not the end: the other cases load', async () => {
    const r = await importPromptfoo('prompts: [hi]\nproviders: [m.gguf]\ntests: [file://gone.csv, { vars: { a: b } }]', memoryReader({}));
    if (!r.ok) throw new Error(r.error);
    expect(r.result.issues).toEqual(['cannot read gone.csv (ENOENT)']);
    expect(r.result.file.dataset).toHaveLength(1);
  });

  test('a var given as a list (promptfoo expands those) is reported for that case', async () => {
    const r = await importPromptfoo('prompts: [hi]\nproviders: [m.gguf]\ntests: [{ vars: { a: [x, y] } }]', memoryReader({}));
    if (!r.ok) throw new Error(r.error);
    expect(r.result.issues).toEqual(["tests item 1: vars.a: a list of values (promptfoo's case expansion) is not supported; write one case per value"]);
  });
});

describe('exporting back to promptfoo', () => {
  test('import → export → import gives the same evaluation, unsupported checks and kept settings included', async () => {
    const first = await importPromptfoo(CONFIG, memoryReader(FILES));
    if (!first.ok) throw new Error(first.error);
    const exported = exportPromptfoo(first.result.file);
    const second = await importPromptfoo(exported.text, memoryReader(FILES));
    if (!second.ok) throw new Error(second.error);
    expect(second.result.file).toEqual(first.result.file);
    expect(second.result.unsupported).toEqual(first.result.unsupported);
    expect(exported.text).toContain('outputPath: results.json');
    expect(exported.text).toContain('type: model-graded-closedqa');
    expect(exported.text).toContain('id: openai:gpt-4o-mini');
  });

  test('a Shotglass file with a dataset path exports tests as file://, and notes what promptfoo reads differently', () => {
    const { text, notes } = exportPromptfoo({
      name: 'E',
      dataset: 'cases.csv',
      variants: [
        { label: 'zero', model: 'm.gguf', template: 'zero.yaml', vars: {}, sampling: {} },
        { label: 'few', model: 'm.gguf', prompt: 'Q: {{q}}', vars: {}, sampling: { temperature: 0.5 } },
      ],
      vars: {},
      sampling: {},
      checks: [],
      repeats: 3,
    });
    expect(text).toContain('tests: file://cases.csv');
    expect(text).toContain('raw: file://zero.yaml');
    expect(text).toMatch(/config:\s+temperature: 0.5/);
    expect(notes).toEqual([
      'variant zero uses a Shotglass template, which promptfoo reads as plain prompt text',
      'repeats (3) are not part of a promptfoo config: run promptfoo eval --repeat 3',
    ]);
  });
});
