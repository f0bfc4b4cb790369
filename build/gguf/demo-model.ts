// The bundled demo model: a word-level bigram over DEMO_CORPUS with a SentencePiece-style
// ("llama") tokenizer and a Jinja chat template. Its greedy output and every token probability
// follow from `demoDesign()`, which tests use as the oracle.
import { DEMO_CORPUS } from './corpus.js';
import { TokenType } from './format.js';
import type { ModelDesign } from './llama-model.js';
import { byteToken, SpmTokenizer } from './spm.js';

export const DEMO_CHAT_TEMPLATE =
  "{% for message in messages %}" +
  "{% if message['role'] == 'system' %}{{ 'System: ' + message['content'] + '\\n' }}" +
  "{% elif message['role'] == 'user' %}{{ 'User: ' + message['content'] + '\\n' }}" +
  "{% else %}{{ 'Assistant: ' + message['content'] + '\\n' }}{% endif %}" +
  "{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

/** Logit of tokens the corpus never produces: e^-100 is zero for every practical purpose. */
export const UNSEEN_LOGIT = -100;
/** Weight of the unigram back-off in each state's distribution. */
const BACKOFF = 1;
/**
 * Weight of a document's end: a base model rarely stops by itself (greedy text runs to max
 * tokens, as with real base models, which is what stop strings are for); sampled text sometimes ends.
 */
const EOS_WEIGHT = 0.25;

export const UNK = 0;
export const BOS = 1;
export const EOS = 2;

export interface DemoModel {
  design: ModelDesign;
  tokenizer: SpmTokenizer;
  /** BOS + tokens + EOS of each corpus document, as counted */
  corpusTokens: number[][];
}

function buildVocab(corpus: string[]): { tokens: string[]; types: TokenType[]; scores: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(byteToken(b));
    types.push(TokenType.BYTE);
  }
  const singles = ['\u2581'];
  for (let c = 0x21; c <= 0x7e; c++) singles.push(String.fromCharCode(c));
  for (const s of singles) {
    tokens.push(s);
    types.push(TokenType.NORMAL);
  }
  // Every word, with its leading-space marker when it follows a space, and with a trailing colon
  // when one follows it (role markers such as `A:` become single tokens). Each prefix is a token
  // too, so SentencePiece's pairwise merges can reach the whole word.
  const pieces = new Set<string>();
  for (const doc of corpus) {
    const text = ' ' + doc; // add_space_prefix
    for (const m of text.matchAll(/[A-Za-z0-9']+:?/g)) {
      const spaced = m.index > 0 && text[m.index - 1] === ' ';
      const word = (spaced ? '\u2581' : '') + m[0];
      for (let n = 2; n <= word.length; n++) pieces.add(word.slice(0, n));
    }
  }
  const multi = [...pieces].filter((p) => !singles.includes(p)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  for (const p of multi) {
    tokens.push(p);
    types.push(TokenType.NORMAL);
  }
  // Longer pieces merge first; single characters and specials never compete in merges.
  const scores = tokens.map((t, i) => (types[i] === TokenType.NORMAL ? Array.from(t).length : 0));
  return { tokens, types, scores };
}

let cached: DemoModel | undefined;

export function demoModel(): DemoModel {
  if (cached) return cached;
  const vocab = buildVocab(DEMO_CORPUS);
  const tokenizer = new SpmTokenizer(vocab);
  const corpusTokens = DEMO_CORPUS.map((doc) => [BOS, ...tokenizer.tokenize(doc), EOS]);
  const n = vocab.tokens.length;

  // State 0 is the back-off state shared by every token the corpus never continues.
  const stateOf = new Int32Array(n);
  let states = 1;
  for (const doc of corpusTokens) {
    for (const t of doc.slice(0, -1)) if (stateOf[t] === 0) stateOf[t] = states++;
  }
  const counts = Array.from({ length: states }, () => new Float64Array(n));
  const unigram = new Float64Array(n);
  for (const doc of corpusTokens) {
    for (let i = 1; i < doc.length; i++) {
      const weight = doc[i] === EOS ? EOS_WEIGHT : 1;
      counts[stateOf[doc[i - 1]!]!]![doc[i]!]! += weight;
      unigram[doc[i]!]! += weight;
    }
  }
  const total = unigram.reduce((a, b) => a + b, 0);
  for (let t = 0; t < n; t++) unigram[t]! /= total;

  const logits = counts.map((row, s) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    const out = new Float32Array(n);
    for (let t = 0; t < n; t++) {
      const p = s === 0 ? unigram[t]! : (row[t]! + BACKOFF * unigram[t]!) / (rowTotal + BACKOFF);
      out[t] = p > 0 ? Math.log(p) : UNSEEN_LOGIT;
    }
    return out;
  });

  cached = {
    design: {
      name: 'Shotglass demo (bigram, 1 layer)',
      tokenizer: {
        kind: 'llama',
        tokens: vocab.tokens,
        scores: vocab.scores,
        types: vocab.types,
        bos: BOS,
        eos: EOS,
        unk: UNK,
        addBos: true,
        addSpacePrefix: true,
      },
      stateOf,
      logits,
      contextLength: 4096,
      chatTemplate: DEMO_CHAT_TEMPLATE,
    },
    tokenizer,
    corpusTokens,
  };
  return cached;
}

/** The designed greedy continuation of a token sequence (ties: lowest id, as llama.cpp's argmax). */
export function designedGreedy(design: ModelDesign, promptIds: number[], maxTokens: number): number[] {
  const out: number[] = [];
  let last = promptIds[promptIds.length - 1]!;
  for (let i = 0; i < maxTokens; i++) {
    const row = design.logits[design.stateOf[last]!]!;
    let best = 0;
    for (let t = 1; t < row.length; t++) if (row[t]! > row[best]!) best = t;
    if (best === design.tokenizer.eos) break;
    out.push(best);
    last = best;
  }
  return out;
}

/** Text of design tokens as they continue a prompt: "▁" is a space, <0xNN> tokens are bytes. */
export function designedText(design: ModelDesign, ids: number[]): string {
  const bytes: number[] = [];
  for (const id of ids) {
    const piece = design.tokenizer.tokens[id]!;
    const byte = /^<0x([0-9A-F]{2})>$/.exec(piece);
    if (byte) bytes.push(parseInt(byte[1]!, 16));
    else bytes.push(...new TextEncoder().encode(piece.replaceAll('\u2581', ' ')));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
