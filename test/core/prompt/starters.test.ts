// The starter templates: valid, lint-clean, runnable as they are, in the demo model's formats.
import { describe, expect, it } from 'vitest';
import { DEMO_CORPUS } from '../../../build/gguf/corpus';
import {
  assemble,
  extractAnswer,
  lintTemplate,
  parseTemplate,
  prepareRun,
  STARTERS,
  starterTemplate,
  switchMode,
  switchTechnique,
  TECHNIQUES,
  toPlain,
} from '../../../core/prompt';

describe('starters', () => {
  it('cover the layouts the issue asks for', () => {
    expect(STARTERS.map((s) => s.id)).toEqual([
      'sentiment-zero-shot',
      'sentiment-one-shot',
      'sentiment-few-shot',
      'grammar-correction',
      'summarization',
      'style-transfer',
      'json-extraction',
      'cot-arithmetic',
    ]);
    expect(STARTERS.find((s) => s.id === 'json-extraction')!.template.constraint?.type).toBe('json-schema');
    expect(STARTERS.find((s) => s.id === 'cot-arithmetic')!.template.technique).toBe('chain-of-thought');
  });

  it.each(STARTERS.map((s) => [s.id, s.template] as const))('%s validates, has no lint errors or warnings, and prepares a run', (_id, template) => {
    expect(parseTemplate(toPlain(template))).toEqual({ ok: true, template, migratedFrom: null });
    expect(lintTemplate(template).filter((d) => d.severity !== 'info')).toEqual([]);
    const run = prepareRun(template);
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    expect(run.plan.templateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.plan.input.mode).toBe(template.mode);
    // every technique and mode assembles from the defaults alone
    for (const technique of TECHNIQUES) {
      for (const mode of ['completion', 'chat'] as const) assemble(switchMode(switchTechnique(template, technique), mode), {});
    }
  });

  it('completion starters show examples in the demo model corpus format', () => {
    for (const { id, template } of STARTERS) {
      const p = assemble(switchTechnique(switchMode(template, 'completion'), template.technique === 'zero-shot' ? 'few-shot' : template.technique), {});
      if (p.mode !== 'completion') throw new Error();
      const blocks = p.spans.filter((s) => s.kind === 'example').map((s) => p.text.slice(s.start, s.end));
      expect(blocks.some((b) => DEMO_CORPUS.includes(b)), id).toBe(true);
    }
  });

  it('sentiment few-shot, exactly', () => {
    const p = assemble(starterTemplate('sentiment-few-shot')!, { review: 'This movie sucks!' });
    expect(p.mode === 'completion' && p.text).toBe(
      'Decide whether the sentiment of each review is positive or negative. Answer with one word: Positive or Negative.\n\n' +
        'Q: This movie was wonderful!\nA: Positive.\n\n' +
        'Q: The food was cold and the service was slow.\nA: Negative.\n\n' +
        'Q: I love this phone, the battery lasts for days.\nA: Positive.\n\n' +
        'Q: The book was boring and far too long.\nA: Negative.\n\n' +
        'Q: This movie sucks!\nA:',
    );
    const t = starterTemplate('sentiment-few-shot')!;
    expect(extractAnswer(' Negative.', t.extraction)).toBe('Negative');
  });

  it('chain-of-thought arithmetic, exactly, and its answer is read after "Answer:"', () => {
    const t = starterTemplate('cot-arithmetic')!;
    const p = assemble(t, {});
    expect(p.mode === 'completion' && p.text).toBe(
      'Solve each math word problem. Work it out step by step, then give the final number on its own line after "Answer:".\n\n' +
        "Q: Roger has 5 balls. He buys 2 more cans of 3 balls each. How many balls does he have now?\nA: Let's think step by step. Roger started with 5 balls. 2 cans of 3 balls each is 6 balls. 5 + 6 = 11.\nAnswer: 11\n\n" +
        "Q: A baker has 12 cakes and sells 4. How many cakes are left?\nA: Let's think step by step. The baker starts with 12 cakes. 12 - 4 = 8.\nAnswer: 8\n\n" +
        "Q: There are 3 cars and each car has 4 wheels. How many wheels are there?\nA: Let's think step by step. Each car has 4 wheels. 3 x 4 = 12.\nAnswer: 12\n\n" +
        "Q: A library has 40 books. It lends out 15 and gets 7 back. How many books does it have now?\nA: Let's think step by step.",
    );
    expect(extractAnswer(' The library starts with 40 books. 40 - 15 + 7 = 32.\nAnswer: 32', t.extraction)).toBe('32');
  });

  it('summarization is a chat starter with a system message', () => {
    const p = assemble(starterTemplate('summarization')!, { text: 'A long text.' });
    expect(p.mode === 'chat' && p.messages).toEqual([
      { role: 'system', content: 'You are a precise editor. You write short, faithful summaries and never add anything the text does not say.' },
      {
        role: 'user',
        content:
          'Summarize the text in one sentence of at most 20 words.\n\nThe meeting covered the budget, the launch date and the new hires. The team agreed to move the launch to May.',
      },
      { role: 'assistant', content: 'The launch moves to May.' },
      { role: 'user', content: 'A long text.' },
    ]);
  });

  it('starterTemplate gives a fresh copy', () => {
    const a = starterTemplate('grammar-correction')!;
    a.examples.length = 0;
    expect(starterTemplate('grammar-correction')!.examples).toHaveLength(4);
    expect(starterTemplate('nope')).toBeUndefined();
  });
});
