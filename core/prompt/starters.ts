// Starter templates: the classic prompt-engineering layouts, ready to run. Every variable has a
// default, so each one assembles (and runs) as it is. The completion formats are the ones the
// bundled demo model was built from (scripts/gguf/corpus.ts: `Q: …\nA: Positive.`,
// `Input:/Output:`, `Text:/Summary:`, `Formal:/Casual:`, `Text:/JSON:`, and
// `A: Let's think step by step. …\nAnswer: 11`), so they give sensible text on it too.
import { templateFrom, type Template, type TemplateInput } from './template.js';

export interface Starter {
  /** stable id (a slug), for the "new from starter" menu */
  id: string;
  template: Template;
}

const SENTIMENT_EXAMPLES = [
  { input: 'This movie was wonderful!', output: 'Positive.' },
  { input: 'The food was cold and the service was slow.', output: 'Negative.' },
  { input: 'I love this phone, the battery lasts for days.', output: 'Positive.' },
  { input: 'The book was boring and far too long.', output: 'Negative.' },
];

const sentiment = (technique: 'zero-shot' | 'one-shot' | 'few-shot', label: string, description: string): TemplateInput => ({
  schemaVersion: 1,
  name: `Sentiment (${label})`,
  description,
  tags: ['classification', 'sentiment', technique],
  mode: 'completion',
  technique,
  instruction: 'Decide whether the sentiment of each review is positive or negative. Answer with one word: Positive or Negative.',
  examples: SENTIMENT_EXAMPLES,
  exampleFormat: 'Q: {{input}}\nA: {{output}}',
  input: '{{review}}',
  extraction: { rule: 'regex', pattern: '\\b(positive|negative)\\b', flags: 'i' },
  variables: [{ name: 'review', description: 'The review to label', default: 'The hotel room was dirty and the staff ignored us.' }],
  sampling: { preset: 'Deterministic', maxTokens: 8, stop: ['\n'] },
  modelHint: 'Any base or instruct model; the bundled demo model knows this Q:/A: format.',
  notes:
    'The same examples are stored in all three sentiment starters; the technique decides how many are shown. ' +
    'Keep the examples balanced between the labels, or the model learns the majority label instead of the task.',
});

const STARTER_INPUTS: { id: string; input: TemplateInput }[] = [
  {
    id: 'sentiment-zero-shot',
    input: sentiment('zero-shot', 'zero-shot', 'Label a review Positive or Negative from the instruction alone.'),
  },
  {
    id: 'sentiment-one-shot',
    input: sentiment('one-shot', 'one-shot', 'Label a review Positive or Negative, with one example to show the format.'),
  },
  {
    id: 'sentiment-few-shot',
    input: sentiment('few-shot', 'few-shot', 'Label a review Positive or Negative, with four balanced examples.'),
  },
  {
    id: 'grammar-correction',
    input: {
      schemaVersion: 1,
      name: 'Grammar correction',
      description: 'Fix grammar and spelling while keeping the sentence as written as possible.',
      tags: ['editing', 'grammar', 'few-shot'],
      mode: 'completion',
      technique: 'few-shot',
      instruction:
        'Correct the grammar and spelling of each sentence. Change as little as possible: keep the words, the meaning and the tone.',
      examples: [
        { input: 'she go to school yesterday.', output: 'She went to school yesterday.' },
        { input: 'he have two cat.', output: 'He has two cats.' },
        { input: 'they was at the park.', output: 'They were at the park.' },
        { input: 'I has a idea.', output: 'I have an idea.' },
      ],
      exampleFormat: 'Input: {{input}}\nOutput: {{output}}',
      input: '{{sentence}}',
      extraction: { rule: 'first-line' },
      variables: [{ name: 'sentence', description: 'The sentence to correct', default: 'me and him goes to the store every days.' }],
      sampling: { preset: 'Deterministic', maxTokens: 64, stop: ['\n'] },
      modelHint: 'Any base or instruct model.',
      notes: 'Examples that change only one thing each teach "minimal edits" better than rewritten sentences.',
    },
  },
  {
    id: 'summarization',
    input: {
      schemaVersion: 1,
      name: 'Summarization',
      description: 'A one-sentence summary of a text, no longer than a word limit.',
      tags: ['summarization', 'chat', 'one-shot'],
      mode: 'chat',
      technique: 'one-shot',
      system: 'You are a precise editor. You write short, faithful summaries and never add anything the text does not say.',
      instruction: 'Summarize the text in one sentence of at most {{max_words}} words.',
      examples: [
        {
          input: 'The meeting covered the budget, the launch date and the new hires. The team agreed to move the launch to May.',
          output: 'The launch moves to May.',
        },
        {
          input: 'The report says sales grew in every region and costs fell for the third year.',
          output: 'Sales grew and costs fell.',
          enabled: false,
        },
      ],
      exampleFormat: 'Text: {{input}}\nSummary: {{output}}',
      input: '{{text}}',
      extraction: { rule: 'full' },
      variables: [
        {
          name: 'text',
          description: 'The text to summarize',
          default:
            'The city council voted on Tuesday to close Main Street to cars on Sundays from June to September. ' +
            'Shop owners asked for a trial first, so the council will review the plan in October.',
        },
        { name: 'max_words', description: 'The longest the summary may be, in words', default: '20' },
      ],
      sampling: { preset: 'Balanced', maxTokens: 80 },
      modelHint: 'An instruct (chat) model; switch to completion mode for a base model (Text:/Summary: format).',
      notes: 'The second example is disabled: enable it, or switch to few-shot, to compare one and two examples.',
    },
  },
  {
    id: 'style-transfer',
    input: {
      schemaVersion: 1,
      name: 'Style transfer (formal to casual)',
      description: 'Rewrite a formal sentence the way you would say it to a colleague.',
      tags: ['rewriting', 'style', 'few-shot'],
      mode: 'completion',
      technique: 'few-shot',
      instruction: 'Rewrite each formal sentence in a casual, friendly tone. Keep it short and keep the meaning.',
      examples: [
        { input: 'I would like to request a meeting.', output: 'Can we meet?' },
        { input: 'Please find the report attached.', output: 'Here is the report.' },
        { input: 'We regret to inform you that the event has been cancelled.', output: "Sorry, the event's off." },
      ],
      exampleFormat: 'Formal: {{input}}\nCasual: {{output}}',
      input: '{{sentence}}',
      extraction: { rule: 'first-line' },
      variables: [
        { name: 'sentence', description: 'The formal sentence', default: 'Kindly ensure that the documents are submitted by Friday.' },
      ],
      sampling: { preset: 'Balanced', maxTokens: 48, stop: ['\n'] },
      modelHint: 'Any base or instruct model.',
      notes: 'Try the Creative preset and several seeds: style tasks have many good answers.',
    },
  },
  {
    id: 'json-extraction',
    input: {
      schemaVersion: 1,
      name: 'JSON extraction',
      description: "Pull a person's name, age and city out of a sentence, as JSON that follows a schema.",
      tags: ['extraction', 'json', 'few-shot'],
      mode: 'completion',
      technique: 'few-shot',
      instruction:
        "Extract the person's name, age and city from the text as JSON with the keys name, age and city. " +
        'Use null for anything the text does not say.',
      examples: [
        { input: 'Ann Lee, 34, lives in Paris.', output: '{"name": "Ann Lee", "age": 34, "city": "Paris"}' },
        { input: 'Bob Stone, 51, lives in Rome.', output: '{"name": "Bob Stone", "age": 51, "city": "Rome"}' },
        { input: 'Our new neighbour, Carla Diaz, moved here from Madrid.', output: '{"name": "Carla Diaz", "age": null, "city": "Madrid"}' },
      ],
      exampleFormat: 'Text: {{input}}\nJSON: {{output}}',
      input: '{{text}}',
      extraction: { rule: 'regex', pattern: '\\{[\\s\\S]*\\}' },
      variables: [{ name: 'text', description: 'The text about one person', default: 'Dev Patel is 28 and works in Toronto.' }],
      sampling: { preset: 'Deterministic', maxTokens: 96, stop: ['\n'] },
      constraint: {
        type: 'json-schema',
        schema: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            age: { type: ['integer', 'null'] },
            city: { type: ['string', 'null'] },
          },
          required: ['name', 'age', 'city'],
          additionalProperties: false,
        },
      },
      modelHint: 'Any model; the JSON schema constrains the output, so even a small model returns valid JSON.',
      notes: 'The examples show the same key order as the schema; a null example teaches the model not to guess.',
    },
  },
  {
    id: 'cot-arithmetic',
    input: {
      schemaVersion: 1,
      name: 'Arithmetic word problem (chain of thought)',
      description: 'Solve a word problem by reasoning step by step, then read the number after "Answer:".',
      tags: ['reasoning', 'math', 'chain-of-thought'],
      mode: 'completion',
      technique: 'chain-of-thought',
      instruction: 'Solve each math word problem. Work it out step by step, then give the final number on its own line after "Answer:".',
      examples: [
        {
          input: 'Roger has 5 balls. He buys 2 more cans of 3 balls each. How many balls does he have now?',
          reasoning: 'Roger started with 5 balls. 2 cans of 3 balls each is 6 balls. 5 + 6 = 11.',
          output: '11',
        },
        {
          input: 'A baker has 12 cakes and sells 4. How many cakes are left?',
          reasoning: 'The baker starts with 12 cakes. 12 - 4 = 8.',
          output: '8',
        },
        {
          input: 'There are 3 cars and each car has 4 wheels. How many wheels are there?',
          reasoning: 'Each car has 4 wheels. 3 x 4 = 12.',
          output: '12',
        },
      ],
      exampleFormat: 'Q: {{input}}\nA: {{output}}',
      input: '{{problem}}',
      chainOfThought: { trigger: "Let's think step by step.", placement: 'after-input', answerFormat: '{{reasoning}}\nAnswer: {{output}}' },
      extraction: { rule: 'after-marker', marker: 'Answer:' },
      variables: [
        {
          name: 'problem',
          description: 'The word problem',
          default: 'A library has 40 books. It lends out 15 and gets 7 back. How many books does it have now?',
        },
      ],
      sampling: { preset: 'Deterministic', maxTokens: 160, stop: ['\n\n'] },
      modelHint: 'Reasoning helps most on larger models (7B and up); the demo model knows this exact format.',
      notes:
        'Switch to zero-shot to compare: the examples stay. Set the trigger to empty for few-shot CoT without "Let\'s think step by step." ' +
        'The answer is read after "Answer:", so the reasoning may take as many lines as it needs.',
    },
  },
];

export const STARTERS: readonly Starter[] = Object.freeze(
  STARTER_INPUTS.map(({ id, input }) => Object.freeze({ id, template: templateFrom(input) })),
);

/** A fresh copy of a starter's template (safe to edit), or undefined for an unknown id. */
export function starterTemplate(id: string): Template | undefined {
  const starter = STARTERS.find((s) => s.id === id);
  return starter ? structuredClone(starter.template) : undefined;
}
