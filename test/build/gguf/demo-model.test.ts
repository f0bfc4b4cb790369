// The demo model reads its input (issue 13): the label follows the current review's sentiment,
// the shots choose the label's words, and the reference forward pass (build/gguf/reference.ts)
// predicts every token and probability real llama.cpp computes on the file, to 1e-3.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { getLlama, type Llama, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble, starterTemplate } from '../../../core/prompt';
import { BOS, demoModel, designedGreedy, designedText, designSession } from '../../../build/gguf/demo-model.js';
import { softmax } from '../../../build/gguf/llama-model.js';
import { DEMO_MODEL, ROOT } from '../../helpers/backend.js';

const { design, tokenizer } = demoModel();
const ids = (prompt: string) => [BOS, ...tokenizer.tokenize(prompt)];
const greedy = (prompt: string, n = 2) => designedText(design, designedGreedy(design, ids(prompt), n));

interface Review {
  text: string;
  label: 'Positive' | 'Negative';
}
const HELD_OUT: Review[] = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'held-out-reviews.json'), 'utf8')).reviews;

function readDataset(file: string): Array<{ review: string; label: string }> {
  const lines = readFileSync(join(ROOT, 'resources', 'datasets', file), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('review,__expected');
  return lines.slice(1).map((line) => {
    const m = /^"((?:[^"]|"")*)",icontains:(\w+)$/.exec(line);
    if (!m) throw new Error(`bad dataset line: ${line}`);
    return { review: m[1]!.replaceAll('""', '"'), label: m[2]! };
  });
}
const GOOD_BAD = readDataset('demo-reviews-good-bad.csv');
const SENTIMENT = readDataset('demo-reviews-sentiment.csv');

/** k shots from the head of the dataset (it alternates Good, Bad), then a review to label. */
const kShotPrompt = (k: number, review: string) =>
  GOOD_BAD.slice(0, k)
    .map((r) => `Q: ${r.review}\nA: ${r.label}.\n\n`)
    .join('') + `Q: ${review}\nA:`;
/** The 50 rows after the first ten, never used as shots. */
const EVAL_ROWS = GOOD_BAD.slice(10);

const chat = new Template(design.chatTemplate!);
const chatPrompt = (system: string, user: string) =>
  chat.render({ messages: [{ role: 'system', content: system }, { role: 'user', content: user }], add_generation_prompt: true });

describe('the demo model reads the review (reference forward pass)', () => {
  it('labels the 40 held-out reviews with at least 90% greedy accuracy, balanced', () => {
    expect(HELD_OUT.filter((r) => r.label === 'Positive')).toHaveLength(20);
    expect(HELD_OUT.filter((r) => r.label === 'Negative')).toHaveLength(20);
    const right = HELD_OUT.filter((r) => greedy(`Q: ${r.text}\nA:`).trim() === `${r.label}.`);
    // Measured: 39 of 40 (the miss reads "never" as negative in "it has never let me down").
    expect(right.length).toBe(39);
    expect(right.length / HELD_OUT.length).toBeGreaterThanOrEqual(0.9);
  });

  it('follows the current review, not the examples', () => {
    const shots = 'Q: The pasta was wonderful.\nA: Positive.\n\nQ: I loved every minute.\nA: Positive.\n\n';
    expect(greedy(`${shots}Q: The room was filthy and the staff were rude.\nA:`)).toBe(' Negative.');
    const negShots = 'Q: The pasta was awful.\nA: Negative.\n\nQ: I hated every minute.\nA: Negative.\n\n';
    expect(greedy(`${negShots}Q: The view was stunning and the bed comfortable.\nA:`)).toBe(' Positive.');
  });

  it('weighs the last clause that holds sentiment most', () => {
    expect(greedy('Q: Good food but the waiter was rude.\nA:')).toBe(' Negative.');
    expect(greedy('Q: The waiter was rude but the food was wonderful.\nA:')).toBe(' Positive.');
  });

  it('answers in the Review:/Sentiment: form and in the chat form', () => {
    expect(greedy('Review: The soup was cold and bland.\nSentiment:')).toBe(' Negative.');
    expect(greedy('Review: A delightful little hotel.\nSentiment:')).toBe(' Positive.');
    const system = 'You are a helpful assistant.';
    expect(chatPrompt(system, 'Is this review positive or negative? The staff were rude.')).toBe(
      'System: You are a helpful assistant.\nUser: Is this review positive or negative? The staff were rude.\nAssistant:',
    );
    expect(greedy(chatPrompt(system, 'Is this review positive or negative? The staff were rude.'))).toBe(' Negative.');
    expect(greedy(chatPrompt(system, 'Is this review positive or negative? The staff were lovely.'))).toBe(' Positive.');
    expect(greedy(chatPrompt('Answer Good or Bad.', 'The room was dirty.'))).toBe(' Bad.');
  });

  it('the workbench\'s few-shot starter answers " Negative." on its default review', () => {
    const p = assemble(starterTemplate('sentiment-few-shot')!, {});
    if (p.mode !== 'completion') throw new Error('completion starter expected');
    expect(p.text.endsWith('Q: The hotel room was dirty and the staff ignored us.\nA:')).toBe(true);
    expect(greedy(p.text, 3)).toBe(' Negative.\n');
  });

  it('takes the answer words from the shots, else from the instruction, else Positive/Negative', () => {
    const review = 'Q: The shower was cold and the bed was awful.\nA:';
    expect(greedy(review)).toBe(' Negative.');
    expect(greedy(`Answer Good or Bad.\n\n${review}`)).toBe(' Bad.');
    expect(greedy(`Q: The staff were so friendly.\nA: Good.\n\nQ: The room was filthy.\nA: Bad.\n\n${review}`)).toBe(' Bad.');
    expect(greedy(`Q: Lovely view.\nA: yes.\n\nQ: Noisy room.\nA: no.\n\n${review}`)).toBe(' no.');
    expect(greedy(`Q: Lovely view.\nA: Yes.\n\nQ: Noisy room.\nA: No.\n\nQ: A wonderful stay.\nA:`)).toBe(' Yes.');
    expect(greedy(`Q: Lovely view.\nA: pos.\n\nQ: Noisy room.\nA: neg.\n\n${review}`)).toBe(' neg.');
  });

  it('on the Good/Bad dataset the pass rate rises with the shots: 0, 25, 50, 50 of 50 at 0, 1, 3, 5', () => {
    expect(GOOD_BAD).toHaveLength(60);
    expect(SENTIMENT.map((r) => r.review)).toEqual(GOOD_BAD.map((r) => r.review));
    expect(SENTIMENT.map((r) => r.label)).toEqual(GOOD_BAD.map((r) => (r.label === 'Good' ? 'Positive' : 'Negative')));
    const passes = [0, 1, 3, 5].map(
      (k) => EVAL_ROWS.filter((r) => greedy(kShotPrompt(k, r.review)).toLowerCase().includes(r.label.toLowerCase())).length,
    );
    // 0 shots: Positive/Negative, never Good/Bad. 1 shot (a Good example) names only Good: right on the
    // 25 positive reviews, while negative ones get Good or, when strongly negative, Negative. 3 and 5
    // shots name both words: the review's sentiment picks one.
    expect(passes).toEqual([0, 25, 50, 50]);
    // and the same reviews with Positive/Negative labels, zero-shot:
    const zeroShot = SENTIMENT.filter((r) => greedy(`Q: ${r.review}\nA:`).includes(r.label)).length;
    expect(zeroShot).toBe(60);
  });

  it('leaves the rest of the corpus to the bigram', () => {
    expect(greedy('Input: she go to school yesterday.\nOutput:', 8)).toBe(' The food was great day.\nA:');
    expect(greedy('User: Hello!\nAssistant:', 2)).toBe(' Positive.');
  });
});

describe('the reference forward pass against llama.cpp', () => {
  let llama: Llama;
  let model: LlamaModel;
  const contexts: LlamaContext[] = [];
  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never' });
    model = await llama.loadModel({ modelPath: DEMO_MODEL });
    for (const flashAttention of [true, false]) contexts.push(await model.createContext({ contextSize: 4096, flashAttention, threads: 1 }));
  });
  afterAll(async () => {
    for (const c of contexts) await c.dispose();
    await model?.dispose();
  });

  /** Greedy steps on llama.cpp, each compared with the reference; returns the largest probability error. */
  async function compare(context: LlamaContext, prompt: number[], steps: number): Promise<number> {
    const sequence = context.getSequence();
    const ref = designSession(design, prompt);
    let worst = 0;
    try {
      let n = 0;
      const iterator = sequence.evaluateWithMetadata(prompt as Token[], { probabilities: true }, { temperature: 0, topK: 0, topP: 1, minP: 0, yieldEogToken: true });
      for await (const out of iterator) {
        const dist = softmax(ref.logits());
        expect(out.probabilities!.size).toBe(dist.length);
        for (const [id, p] of out.probabilities!) worst = Math.max(worst, Math.abs(p - dist[id]!));
        let best = 0;
        for (let t = 1; t < dist.length; t++) if (dist[t]! > dist[best]!) best = t;
        expect(out.token).toBe(best);
        ref.push(out.token);
        if (++n >= steps || out.token === design.tokenizer.eos) break;
      }
    } finally {
      sequence.dispose();
    }
    return worst;
  }

  it('agree to 1e-3 on every probability over a few hundred prompts, with and without flash attention', async () => {
    const prompts = [
      ...HELD_OUT.map((r) => `Q: ${r.text}\nA:`),
      ...HELD_OUT.map((r) => `Review: ${r.text}\nSentiment:`),
      ...HELD_OUT.map((r) => chatPrompt('You are a helpful assistant.', `Is this review positive or negative? ${r.text}`)),
      ...[0, 1, 3, 5].flatMap((k) => EVAL_ROWS.slice(0, 25).map((r) => kShotPrompt(k, r.review))),
      'The model',
      'Input: he have two cat.\nOutput:',
      'Text: Rain all week.\nSummary:',
      'User: Hello!\nAssistant:',
    ];
    expect(prompts.length).toBeGreaterThanOrEqual(200);
    let flash = 0;
    let plain = 0;
    for (const [i, prompt] of prompts.entries()) {
      // every prompt on the flash-attention context (the app's default, which the reference follows),
      // every fourth on the other, which rounds softmax weights to F16 before summing the values
      flash = Math.max(flash, await compare(contexts[0]!, ids(prompt), 3));
      if (i % 4 === 0) plain = Math.max(plain, await compare(contexts[1]!, ids(prompt), 3));
    }
    console.log(`reference vs llama.cpp, ${prompts.length} prompts: max probability error ${flash.toExponential(2)} with flash attention, ${plain.toExponential(2)} without`);
    expect(flash).toBeLessThan(1e-3);
    expect(plain).toBeLessThan(1e-3);
  }, 600_000);

  it('agree on long prompts near the context size', async () => {
    // Shots from the dataset, repeated until the prompt nearly fills the 4096-token context.
    let shots = '';
    let i = 0;
    while (ids(shots).length < 3900) {
      const r = GOOD_BAD[i++ % GOOD_BAD.length]!;
      shots += `Q: ${r.review}\nA: ${r.label}.\n\n`;
    }
    let worst = 0;
    for (const review of ['The towels were dirty and the heater was broken.', 'A charming inn with a delicious breakfast.']) {
      const prompt = ids(`${shots}Q: ${review}\nA:`);
      expect(prompt.length).toBeGreaterThan(3900);
      expect(prompt.length).toBeLessThan(4090);
      worst = Math.max(worst, await compare(contexts[0]!, prompt, 3));
    }
    console.log(`reference vs llama.cpp, long prompts: max probability error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
  }, 600_000);
});
