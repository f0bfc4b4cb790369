// Golden outputs for every classic layout, in both modes: the exact text or messages a model gets.
import { describe, expect, it } from 'vitest';
import {
  assemble,
  describeSelection,
  switchTechnique,
  InvalidTemplateError,
  MissingVariablesError,
  templateFrom,
  toPromptInput,
  type AssembledPrompt,
  type Template,
  type TemplateInput,
} from '../../../core/prompt';

const EXAMPLES = [
  { input: 'Great film!', output: 'Positive', reasoning: '"Great" is praise.' },
  { input: 'Awful food.', output: 'Negative', reasoning: '"Awful" is a complaint.' },
  { input: 'Never shown.', output: 'Negative', enabled: false },
  { input: 'Best day ever.', output: 'Positive' },
];

function golden(over: Partial<TemplateInput> = {}): Template {
  return templateFrom({
    schemaVersion: 1,
    name: 'golden',
    instruction: 'Classify the sentiment.',
    examples: EXAMPLES,
    exampleFormat: 'Q: {{input}}\nA: {{output}}',
    input: '{{text}}',
    variables: [{ name: 'text' }],
    ...over,
  });
}

const VALUES = { text: 'I liked it.' };

function text(p: AssembledPrompt): string {
  if (p.mode !== 'completion') throw new Error('expected completion');
  return p.text;
}
function messages(p: AssembledPrompt) {
  if (p.mode !== 'chat') throw new Error('expected chat');
  return p.messages;
}

describe('completion layouts', () => {
  it('zero-shot: [Instruction] [Input], examples kept but not shown', () => {
    const p = assemble(golden({ technique: 'zero-shot' }), VALUES);
    expect(text(p)).toBe('Classify the sentiment.\n\nQ: I liked it.\nA:');
    expect(p.meta.examples.used).toEqual([]);
    expect(p.meta.examples.unused).toEqual([
      { index: 0, reason: 'technique' },
      { index: 1, reason: 'technique' },
      { index: 2, reason: 'disabled' },
      { index: 3, reason: 'technique' },
    ]);
    expect(p.meta.answerPrefix).toBe('A:');
  });

  it('zero-shot without instruction: [Input]', () => {
    expect(text(assemble(golden({ technique: 'zero-shot', instruction: '' }), VALUES))).toBe('Q: I liked it.\nA:');
  });

  it('one-shot: [Instruction] [Ex In] [Ex Out] [Input]', () => {
    const p = assemble(golden({ technique: 'one-shot' }), VALUES);
    expect(text(p)).toBe('Classify the sentiment.\n\nQ: Great film!\nA: Positive\n\nQ: I liked it.\nA:');
    expect(p.meta.examples.used).toEqual([0]);
  });

  it('one-shot without instruction: [Ex In] [Ex Out] [Input]', () => {
    expect(text(assemble(golden({ technique: 'one-shot', instruction: '' }), VALUES))).toBe(
      'Q: Great film!\nA: Positive\n\nQ: I liked it.\nA:',
    );
  });

  it('one-shot takes the first enabled example', () => {
    const examples = [{ ...EXAMPLES[0]!, enabled: false }, ...EXAMPLES.slice(1)];
    const p = assemble(golden({ technique: 'one-shot', examples }), VALUES);
    expect(text(p)).toBe('Classify the sentiment.\n\nQ: Awful food.\nA: Negative\n\nQ: I liked it.\nA:');
    expect(p.meta.examples.used).toEqual([1]);
  });

  it('few-shot: every enabled example (k = 3), disabled ones skipped', () => {
    const p = assemble(golden({ technique: 'few-shot' }), VALUES);
    expect(text(p)).toBe(
      'Classify the sentiment.\n\n' +
        'Q: Great film!\nA: Positive\n\n' +
        'Q: Awful food.\nA: Negative\n\n' +
        'Q: Best day ever.\nA: Positive\n\n' +
        'Q: I liked it.\nA:',
    );
    expect(p.meta.examples.used).toEqual([0, 1, 3]);
    expect(p.meta.examples.unused).toEqual([{ index: 2, reason: 'disabled' }]);
  });

  it('few-shot without instruction, with a custom separator', () => {
    const p = assemble(golden({ technique: 'few-shot', instruction: '', exampleSeparator: '\n###\n' }), VALUES);
    expect(text(p)).toBe(
      'Q: Great film!\nA: Positive\n###\nQ: Awful food.\nA: Negative\n###\nQ: Best day ever.\nA: Positive\n###\nQ: I liked it.\nA:',
    );
  });

  it('chain-of-thought, zero-shot: the trigger after the answer prefix', () => {
    const p = assemble(golden({ technique: 'chain-of-thought', examples: [] }), VALUES);
    expect(text(p)).toBe("Classify the sentiment.\n\nQ: I liked it.\nA: Let's think step by step.");
    expect(p.meta.answerPrefix).toBe("A: Let's think step by step.");
  });

  it('chain-of-thought without instruction', () => {
    expect(text(assemble(golden({ technique: 'chain-of-thought', examples: [], instruction: '' }), VALUES))).toBe(
      "Q: I liked it.\nA: Let's think step by step.",
    );
  });

  it('chain-of-thought, before-input: [Instruction] [step-by-step request] [Input]', () => {
    const p = assemble(golden({ technique: 'chain-of-thought', examples: [], chainOfThought: { placement: 'before-input' } }), VALUES);
    expect(text(p)).toBe("Classify the sentiment.\n\nLet's think step by step.\n\nQ: I liked it.\nA:");
  });

  it('chain-of-thought with reasoning in the examples (and one without)', () => {
    const p = assemble(golden({ technique: 'chain-of-thought' }), VALUES);
    expect(text(p)).toBe(
      'Classify the sentiment.\n\n' +
        'Q: Great film!\nA: Let\'s think step by step. "Great" is praise.\nAnswer: Positive\n\n' +
        'Q: Awful food.\nA: Let\'s think step by step. "Awful" is a complaint.\nAnswer: Negative\n\n' +
        'Q: Best day ever.\nA: Positive\n\n' +
        "Q: I liked it.\nA: Let's think step by step.",
    );
    expect(p.meta.reasoningShown).toEqual([0, 1]);
    expect(p.meta.warnings).toEqual(['example 4 has no reasoning: chain-of-thought shows only the answer']);
  });

  it('chain-of-thought before-input: examples answer without the trigger', () => {
    const p = assemble(golden({ technique: 'chain-of-thought', chainOfThought: { placement: 'before-input' }, examples: EXAMPLES.slice(0, 1) }), VALUES);
    expect(text(p)).toBe(
      'Classify the sentiment.\n\nQ: Great film!\nA: "Great" is praise.\nAnswer: Positive\n\nLet\'s think step by step.\n\nQ: I liked it.\nA:',
    );
  });

  it('chain-of-thought with an empty trigger (few-shot CoT from reasoning alone) and a custom answer format', () => {
    const p = assemble(
      golden({
        technique: 'chain-of-thought',
        examples: EXAMPLES.slice(0, 2),
        chainOfThought: { trigger: '', answerFormat: '{{reasoning}} So the answer is {{output}}.' },
      }),
      VALUES,
    );
    expect(text(p)).toBe(
      'Classify the sentiment.\n\nQ: Great film!\nA: "Great" is praise. So the answer is Positive.\n\n' +
        'Q: Awful food.\nA: "Awful" is a complaint. So the answer is Negative.\n\nQ: I liked it.\nA:',
    );
  });

  it('drops spaces before {{output}} but keeps a newline, and the trigger follows a newline directly', () => {
    expect(text(assemble(golden({ exampleFormat: 'Input: {{input}}\nOutput: \t {{output}}' }), VALUES))).toBe(
      'Classify the sentiment.\n\nInput: I liked it.\nOutput:',
    );
    const p = assemble(golden({ technique: 'chain-of-thought', examples: [], exampleFormat: 'Text: {{input}}\nJSON:\n{{output}}' }), VALUES);
    expect(text(p)).toBe("Classify the sentiment.\n\nText: I liked it.\nJSON:\nLet's think step by step.");
  });

  it('a format with text after {{output}} keeps it in examples only', () => {
    const p = assemble(golden({ technique: 'one-shot', instruction: '', exampleFormat: '<q>{{input}}</q> <a>{{output}}</a>' }), VALUES);
    expect(text(p)).toBe('<q>Great film!</q> <a>Positive</a>\n\n<q>I liked it.</q> <a>');
  });

  it('user variables work in the instruction, the format and the trigger; spans locate every part', () => {
    const t = golden({
      technique: 'chain-of-thought',
      examples: EXAMPLES.slice(0, 1),
      instruction: 'Label {{thing}} sentiment.',
      exampleFormat: '{{q}} {{input}}\n{{a}} {{output}}',
      chainOfThought: { trigger: 'Think about {{thing}}.' },
      variables: [{ name: 'text' }, { name: 'thing', default: 'the' }, { name: 'q', default: 'Q:' }, { name: 'a', default: 'A:' }],
    });
    const p = assemble(t, VALUES);
    const out = text(p);
    expect(out).toBe('Label the sentiment.\n\nQ: Great film!\nA: Think about the. "Great" is praise.\nAnswer: Positive\n\nQ: I liked it.\nA: Think about the.');
    expect(p.meta.variables).toEqual(['thing', 'q', 'a', 'text']);
    expect(p.meta.defaultsApplied).toEqual(['thing', 'q', 'a']);
    expect(p.meta.values).toEqual({ thing: 'the', q: 'Q:', a: 'A:', text: 'I liked it.' });
    expect(p.spans.map((s) => [s.kind, out.slice(s.start, s.end)])).toEqual([
      ['instruction', 'Label the sentiment.'],
      ['example', 'Q: Great film!\nA: Think about the. "Great" is praise.\nAnswer: Positive'],
      ['input', 'Q: I liked it.\nA: Think about the.'],
      ['trigger', 'Think about the.'],
    ]);
  });

  it('warns about an unused system message and about one-/few-shot without enabled examples', () => {
    const off = EXAMPLES.map((e) => ({ ...e, enabled: false }));
    const p = assemble(golden({ technique: 'few-shot', system: 'Be brief.', examples: off }), VALUES);
    expect(text(p)).toBe('Classify the sentiment.\n\nQ: I liked it.\nA:');
    expect(p.meta.warnings).toEqual(['Few-shot, but no example is enabled: the prompt shows none', 'the system message is only used in chat mode']);
  });
});

describe('chat layouts', () => {
  const chat = (over: Partial<TemplateInput> = {}) => golden({ mode: 'chat', system: 'You are a sentiment classifier.', ...over });

  it('zero-shot: system, then the instruction opening the user message', () => {
    const p = assemble(chat({ technique: 'zero-shot' }), VALUES);
    expect(messages(p)).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.' },
      { role: 'user', content: 'Classify the sentiment.\n\nI liked it.' },
    ]);
    expect(p.meta.answerPrefix).toBeNull();
    expect(toPromptInput(p)).toEqual({ mode: 'chat', messages: messages(p) });
  });

  it('zero-shot without instruction or system', () => {
    expect(messages(assemble(chat({ technique: 'zero-shot', instruction: '', system: '' }), VALUES))).toEqual([
      { role: 'user', content: 'I liked it.' },
    ]);
  });

  it('one-shot: the example as a user/assistant pair, the instruction in the first user turn', () => {
    expect(messages(assemble(chat({ technique: 'one-shot' }), VALUES))).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.' },
      { role: 'user', content: 'Classify the sentiment.\n\nGreat film!' },
      { role: 'assistant', content: 'Positive' },
      { role: 'user', content: 'I liked it.' },
    ]);
  });

  it('one-shot without instruction', () => {
    expect(messages(assemble(chat({ technique: 'one-shot', instruction: '' }), VALUES))).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.' },
      { role: 'user', content: 'Great film!' },
      { role: 'assistant', content: 'Positive' },
      { role: 'user', content: 'I liked it.' },
    ]);
  });

  it('few-shot: k pairs', () => {
    expect(messages(assemble(chat({ technique: 'few-shot' }), VALUES))).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.' },
      { role: 'user', content: 'Classify the sentiment.\n\nGreat film!' },
      { role: 'assistant', content: 'Positive' },
      { role: 'user', content: 'Awful food.' },
      { role: 'assistant', content: 'Negative' },
      { role: 'user', content: 'Best day ever.' },
      { role: 'assistant', content: 'Positive' },
      { role: 'user', content: 'I liked it.' },
    ]);
  });

  it('the instruction can go into the system message (or be it)', () => {
    expect(messages(assemble(chat({ technique: 'one-shot', chat: { instructionPlacement: 'system' } }), VALUES))).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.\n\nClassify the sentiment.' },
      { role: 'user', content: 'Great film!' },
      { role: 'assistant', content: 'Positive' },
      { role: 'user', content: 'I liked it.' },
    ]);
    expect(messages(assemble(chat({ system: '', chat: { instructionPlacement: 'system' } }), VALUES))).toEqual([
      { role: 'system', content: 'Classify the sentiment.' },
      { role: 'user', content: 'I liked it.' },
    ]);
  });

  it('chain-of-thought, zero-shot: the trigger ends the last user message', () => {
    expect(messages(assemble(chat({ technique: 'chain-of-thought', examples: [] }), VALUES))).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.' },
      { role: 'user', content: "Classify the sentiment.\n\nI liked it.\n\nLet's think step by step." },
    ]);
  });

  it('chain-of-thought, before-input', () => {
    expect(
      messages(assemble(chat({ technique: 'chain-of-thought', examples: [], chainOfThought: { placement: 'before-input' } }), VALUES)),
    ).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.' },
      { role: 'user', content: "Classify the sentiment.\n\nLet's think step by step.\n\nI liked it." },
    ]);
  });

  it('chain-of-thought with reasoning: reasoning then the answer in the assistant turn', () => {
    const p = assemble(chat({ technique: 'chain-of-thought' }), VALUES);
    expect(messages(p)).toEqual([
      { role: 'system', content: 'You are a sentiment classifier.' },
      { role: 'user', content: "Classify the sentiment.\n\nGreat film!\n\nLet's think step by step." },
      { role: 'assistant', content: '"Great" is praise.\nAnswer: Positive' },
      { role: 'user', content: "Awful food.\n\nLet's think step by step." },
      { role: 'assistant', content: '"Awful" is a complaint.\nAnswer: Negative' },
      { role: 'user', content: 'Best day ever.' },
      { role: 'assistant', content: 'Positive' },
      { role: 'user', content: "I liked it.\n\nLet's think step by step." },
    ]);
    const msgs = messages(p);
    expect(p.spans.map((s) => [s.kind, s.message, msgs[s.message!]!.content.slice(s.start, s.end), s.exampleIndex])).toEqual([
      ['system', 0, 'You are a sentiment classifier.', undefined],
      ['instruction', 1, 'Classify the sentiment.', undefined],
      ['example', 1, 'Great film!', 0],
      ['trigger', 1, "Let's think step by step.", undefined],
      ['example', 2, '"Great" is praise.\nAnswer: Positive', 0],
      ['example', 3, 'Awful food.', 1],
      ['trigger', 3, "Let's think step by step.", undefined],
      ['example', 4, '"Awful" is a complaint.\nAnswer: Negative', 1],
      ['example', 5, 'Best day ever.', 3],
      ['example', 6, 'Positive', 3],
      ['input', 7, 'I liked it.', undefined],
      ['trigger', 7, "Let's think step by step.", undefined],
    ]);
  });

  it('chat ignores the example format (the roles replace its labels), even an unusable one', () => {
    const t = { ...chat({ technique: 'one-shot' }), exampleFormat: 'no placeholders' };
    expect(messages(assemble(t, VALUES))[2]).toEqual({ role: 'assistant', content: 'Positive' });
    expect(() => assemble({ ...t, mode: 'completion' }, VALUES)).toThrow(InvalidTemplateError);
  });
});

describe('variables and errors', () => {
  it('lists every missing variable, in the order met, and says so in words', () => {
    const t = golden({ instruction: 'Label {{a}} and {{b}}.', input: '{{text}} {{c}} {{a}}', variables: [] });
    let caught: unknown;
    try {
      assemble(t, { b: 'B' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingVariablesError);
    expect((caught as MissingVariablesError).missing).toEqual(['a', 'text', 'c']);
    expect((caught as MissingVariablesError).code).toBe('missing-variables');
    expect((caught as Error).message).toBe('missing values for variables "a", "text" and "c"');
    expect(() => assemble(golden(), {})).toThrow('missing value for variable "text"');
  });

  it('missing: keep leaves the placeholders for a preview and lists them', () => {
    const p = assemble(golden({ instruction: 'Hi {{ who }}.' }), {}, { missing: 'keep' });
    expect(text(p)).toBe('Hi {{ who }}.\n\nQ: {{text}}\nA:');
    expect(p.meta.missing).toEqual(['who', 'text']);
  });

  it('an empty string is a value; undefined is not; defaults fill in; extra values are reported', () => {
    const t = golden({ variables: [{ name: 'text', default: 'default text' }] });
    expect(text(assemble(t, { text: '' }))).toBe('Classify the sentiment.\n\nQ: \nA:');
    const p = assemble(t, { text: undefined, other: 'x' });
    expect(text(p)).toBe('Classify the sentiment.\n\nQ: default text\nA:');
    expect(p.meta.defaultsApplied).toEqual(['text']);
    expect(p.meta.unusedValues).toEqual(['other']);
  });

  it('inserts values and example texts literally (no second expansion), and honours escapes', () => {
    const t = golden({
      technique: 'one-shot',
      instruction: 'Write \\{{name}} literally, and {"json": {"ok": true}}.',
      examples: [{ input: 'has {{text}} inside', output: '}}{{' }],
    });
    expect(text(assemble(t, { text: '{{text}} \\{{x}}' }))).toBe(
      'Write {{name}} literally, and {"json": {"ok": true}}.\n\nQ: has {{text}} inside\nA: }}{{\n\nQ: {{text}} \\{{x}}\nA:',
    );
  });

  it('does not read values from the prototype chain', () => {
    const t = golden({ input: '{{constructor}}', variables: [] });
    expect(() => assemble(t, {})).toThrow('missing value for variable "constructor"');
  });
});

describe('technique switcher', () => {
  it('describes what each technique shows and what it keeps', () => {
    const t = golden();
    expect(describeSelection(switchTechnique(t, 'zero-shot'))).toBe(
      'shows no example; 3 enabled examples kept but not shown by zero-shot; 1 disabled example kept',
    );
    expect(describeSelection(switchTechnique(t, 'one-shot'))).toBe(
      'shows 1 example; 2 enabled examples kept but not shown by one-shot; 1 disabled example kept',
    );
    expect(describeSelection(switchTechnique(t, 'few-shot'))).toBe('shows 3 examples; 1 disabled example kept');
    expect(describeSelection(switchTechnique(t, 'chain-of-thought'))).toBe('shows 3 examples; 1 disabled example kept');
  });
});
