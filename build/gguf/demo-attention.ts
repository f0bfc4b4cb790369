// The demo model's designed transformer: two attention layers on top of the bigram, so that at an
// answer marker (`A:`, `Sentiment:`, `Assistant:`, `Label:`) the label follows the sentiment of the
// current review and the shots choose the label's words. Everywhere else every head looks at <s>,
// whose value is zero, so the model is the bigram of demo-model.ts there.
//
// The residual stream: one slot per bigram state (the one-hot of the token's state, as before),
// then feature dimensions (FEATURE below), all at 1/16 except the one-hot, so the norm of every
// embedding is the same (BAL pads it) and the features barely move the RMS norm.
//
// Layer 0, every position (uniform causal attention counts things, exactly):
//   head 0  keys <s> and question markers, value 1 at <s>:   U  = 1 / (1 + question markers so far)
//   head 1  keys <s> and answer markers:                      AC = 1 / (1 + answer markers so far)
//   head 2  keys <s> and clause ends (. , ! ? ; but …):       CL = 1 / (1 + clause ends so far)
//   FFN     SCL = CL at sentiment words and question markers, 0 elsewhere (SwiGLU: silu(32)·CL, silu(0) = 0)
// Layer 1, answer markers only (any other query scores <s> 400 above the rest):
//   head 0  sentiment words and the question marker of the current review (the smallest U), uniform:
//           M0 = mean sentiment over the review (the marker is a neutral vote)
//   head 1  sentiment words in the last clause that holds any (the smallest CL), uniform: M1
//   head 2  answer words named where U == AC (instructions before the first question, and shots'
//           answers), falling back to <s>: WOUT = share of each answer word
//   FFN     SEEN = 1 for each answer word the prompt named (a saturating step of WOUT)
// Output: logit(answer word) = bigram + 30·SEEN(word) ± 12·(M0 + M1), and -20 for words outside the
// default Positive/Negative that the prompt never named: a named word is preferred, but a review
// whose sentiment is strong enough (|M0 + M1| above 1.25) can pick the other default word.
// Margins are hundreds of logits inside attention, so softmax weights are exactly 0 or equal, and
// F16 rounding in llama.cpp's KV cache cannot change them (see README, "The demo model").
import { ANSWER_MARKERS, CLAUSE_ENDS, LABEL_PAIRS, lexicon, QUESTION_MARKERS } from './lexicon.js';
import type { DesignedBlock, DesignedNetwork } from './llama-model.js';

export const FEATURE = {
  CONST: 0,
  BAL: 1,
  BOS: 2,
  QM: 3,
  AM: 4,
  BOUND: 5,
  SENTF: 6,
  SENT: 7,
  LABEL: 8,
  /** one dimension per answer word (LABEL_WORDS): which answer word the token names */
  LW: 9,
  U: 19,
  AC: 20,
  CL: 21,
  M0: 22,
  M1: 23,
  /** per answer word: the share of the label head's attention on tokens naming it */
  WOUT: 24,
  SCL: 34,
  /** per answer word: 1 when the prompt has named it (WOUT above a threshold), else 0 */
  SEEN: 35,
} as const;
const FEATURES = 45;
/** The answer words, two per vocabulary (positive, negative): LABEL_WORDS[2p], LABEL_WORDS[2p+1]. */
export const LABEL_WORDS = LABEL_PAIRS.flatMap((p) => [p.positive, p.negative]);
const F = 1 / 16; // feature scale in the embedding
export const N_HEAD = 4;
export const HEAD_DIM = 16;
const FF = 32;
/** RoPE's positions are divided by this: 4096 tokens turn by under 1e-8 rad, so scores are position-free. */
export const ROPE_SCALE = 2 ** 40;

/** Scores (after llama.cpp's 1/sqrt(head_dim)) the heads are designed with. */
export const SCORES = {
  /** a marker key against any other, in the counting heads; <s> against the rest for non-answer queries */
  gate: 400,
  /** a sentiment word or question marker against any other token */
  content: 200,
  /** one question marker more, between two segments, times U: segment n vs n+1 differ by 8000/((n+1)(n+2)) */
  segment: 8000,
  /** a sentiment word or question marker against any other token, in the clause head */
  clauseContent: 50000,
  /** likewise per clause, times CL (only sentiment words and question markers carry it) */
  clause: 40000,
  /** a label word in an instruction or an answer */
  label: 200,
  /** <s> as the label head's fallback */
  labelFallback: 150,
  /** U - AC: a label word inside a question loses 20000 / ((m+1)(m+2)) */
  answerPart: 20000,
} as const;
/** Output logits: the chosen vocabulary's words, and the sentiment's push per unit of M0 + M1. */
export const LABEL_LOGIT = 30;
/** At an answer marker, an answer word outside the default vocabulary that the prompt never named. */
export const UNNAMED_LOGIT = -20;
export const SENTIMENT_LOGIT = 12;

export interface TokenFeatures {
  bos: boolean;
  question: boolean;
  answer: boolean;
  clauseEnd: boolean;
  sentiment: number;
  /** index into LABEL_WORDS of the answer word this token names, or -1 */
  word: number;
}

/** What the embedding says about a token, from its piece. */
export function tokenFeatures(piece: string, id: number, bos: number): TokenFeatures {
  const word = piece.replace(/^\u2581/, '');
  const spaced = piece.startsWith('\u2581');
  const question = QUESTION_MARKERS.includes(word);
  const answer = ANSWER_MARKERS.includes(word);
  return {
    bos: id === bos,
    question,
    answer,
    clauseEnd: question || answer || CLAUSE_ENDS.includes(word),
    sentiment: lexicon().get(word) ?? 0,
    word: spaced ? namedWord(word) : -1,
  };
}

/** `Positive` and `positive` name LABEL_WORDS' `Positive`; `Good` names `Good`. */
function namedWord(word: string): number {
  for (let p = 0; p < LABEL_PAIRS.length; p++) {
    const pair = LABEL_PAIRS[p]!;
    if (!pair.names.includes(word)) continue;
    return word.toLowerCase() === pair.negative.toLowerCase() ? 2 * p + 1 : 2 * p;
  }
  return -1;
}

export interface AttentionInput {
  tokens: readonly string[];
  bos: number;
  stateOf: Int32Array;
  logits: Float32Array[];
  eps: number;
}

export function embeddingWidth(states: number): number {
  return Math.ceil((states + FEATURES) / 32) * 32;
}

export function designNetwork(input: AttentionInput): DesignedNetwork & { base: number } {
  const nVocab = input.tokens.length;
  const nStates = input.logits.length;
  const nEmbd = embeddingWidth(nStates);
  const base = nStates;
  const dim = (f: number) => base + f;
  const width = N_HEAD * HEAD_DIM;
  const feats = input.tokens.map((t, i) => tokenFeatures(t, i, input.bos));

  // Feature vectors, then the norm they all share (BAL makes up the difference).
  const featureValues = feats.map((f) => {
    const v = new Map<number, number>();
    v.set(FEATURE.CONST, F);
    if (f.bos) v.set(FEATURE.BOS, F);
    if (f.question) v.set(FEATURE.QM, F);
    if (f.answer) v.set(FEATURE.AM, F);
    if (f.clauseEnd) v.set(FEATURE.BOUND, F);
    if (f.sentiment) {
      v.set(FEATURE.SENTF, F);
      v.set(FEATURE.SENT, F * f.sentiment);
    }
    if (f.word >= 0) {
      v.set(FEATURE.LABEL, F);
      v.set(FEATURE.LW + f.word, F);
    }
    return v;
  });
  const sq = (v: Map<number, number>) => [...v.values()].reduce((a, b) => a + b * b, 0);
  const K = Math.max(...featureValues.map(sq)) + F * F;
  const c = Math.sqrt(nEmbd - K); // mean square of every embedding: 1
  const tokenEmbd = new Float32Array(nVocab * nEmbd);
  featureValues.forEach((v, t) => {
    tokenEmbd[t * nEmbd + input.stateOf[t]!] = c;
    for (const [f, value] of v) tokenEmbd[t * nEmbd + dim(f)] = value;
    tokenEmbd[t * nEmbd + dim(FEATURE.BAL)] = Math.sqrt(K - sq(v));
  });

  // Output: the bigram through the one-hot (divided by what the norm leaves of it), plus labels.
  const stateValue = c / Math.sqrt(1 + Math.fround(input.eps));
  const output = new Float32Array(nVocab * nEmbd);
  input.logits.forEach((row, s) => {
    for (let t = 0; t < nVocab; t++) output[t * nEmbd + s] = row[t]! / stateValue;
  });
  const idOf = new Map(input.tokens.map((t, i) => [t, i]));
  LABEL_WORDS.forEach((word, w) => {
    const sign = w % 2 === 0 ? 1 : -1;
    const t = idOf.get('\u2581' + word);
    if (t === undefined) throw new Error(`the vocabulary has no token for the label ${word}`);
    if (w < 2) {
      output[t * nEmbd + dim(FEATURE.SEEN + w)] = LABEL_LOGIT / F;
    } else {
      // -20 at any answer marker, cancelled (and +30 added) once the prompt names the word: linear
      // in the features, so the other vocabularies stay out of the default answer's distribution.
      output[t * nEmbd + dim(FEATURE.AM)] = UNNAMED_LOGIT / F;
      output[t * nEmbd + dim(FEATURE.SEEN + w)] = (LABEL_LOGIT - UNNAMED_LOGIT) / F;
    }
    output[t * nEmbd + dim(FEATURE.M0)] = (sign * SENTIMENT_LOGIT) / F;
    output[t * nEmbd + dim(FEATURE.M1)] = (sign * SENTIMENT_LOGIT) / F;
  });

  // Weights read normalized features (about F) and produce q = 4, k = score units, so that
  // q·k / sqrt(16) is the designed score: k = score, q = 4 needs q weight 4/F and k weight score/F.
  const block = (): DesignedBlock => ({
    q: new Float32Array(width * nEmbd),
    k: new Float32Array(width * nEmbd),
    v: new Float32Array(width * nEmbd),
    o: new Float32Array(nEmbd * width),
    gate: new Float32Array(FF * nEmbd),
    up: new Float32Array(FF * nEmbd),
    down: new Float32Array(nEmbd * FF),
  });
  const Q = 4 / F;
  const row = (h: number, i: number) => (h * HEAD_DIM + i) * nEmbd;
  const col = (h: number, i: number) => h * HEAD_DIM + i;
  // Counting heads write 1/(1+n) at F·F = 1/256; layer 1 reads them back times 256.
  const COUNT = F * F;

  const b0 = block();
  const counters: Array<[number[], number]> = [
    [[FEATURE.QM], FEATURE.U],
    [[FEATURE.AM], FEATURE.AC],
    [[FEATURE.BOUND], FEATURE.CL],
  ];
  counters.forEach(([keys, out], h) => {
    b0.q[row(h, 0) + dim(FEATURE.CONST)] = Q;
    for (const f of [FEATURE.BOS, ...keys]) b0.k[row(h, 0) + dim(f)] = SCORES.gate / F;
    b0.v[row(h, 0) + dim(FEATURE.BOS)] = 1;
    b0.o[dim(out) * width + col(h, 0)] = F;
  });

  // FFN 0: copy CL into SCL only where a sentiment word or a question marker stands, so the clause
  // head can prefer recent clauses among those without newer, non-sentiment tokens winning.
  b0.gate[0 * nEmbd + dim(FEATURE.SENTF)] = 32 / F;
  b0.gate[0 * nEmbd + dim(FEATURE.QM)] = 32 / F;
  b0.up[0 * nEmbd + dim(FEATURE.CL)] = 1;
  b0.down[dim(FEATURE.SCL) * FF + 0] = 1 / 32;

  const b1 = block();
  for (let h = 0; h < 3; h++) {
    // The gate: a query that is not an answer marker scores <s> 400 above everything else.
    b1.q[row(h, 0) + dim(FEATURE.CONST)] = Q;
    b1.q[row(h, 0) + dim(FEATURE.AM)] = -Q;
    b1.k[row(h, 0) + dim(FEATURE.BOS)] = SCORES.gate / F;
    for (let i = 1; i < 4; i++) b1.q[row(h, i) + dim(FEATURE.AM)] = Q;
  }
  const fromCount = 1 / COUNT / F; // k weight per unit of score·count, reading x = count/256
  // head 0: the current review's sentiment words (and its marker), uniformly.
  b1.k[row(0, 1) + dim(FEATURE.SENTF)] = SCORES.content / F;
  b1.k[row(0, 1) + dim(FEATURE.QM)] = SCORES.content / F;
  b1.k[row(0, 2) + dim(FEATURE.U)] = -SCORES.segment * fromCount * F;
  b1.v[row(0, 0) + dim(FEATURE.SENT)] = 1;
  b1.o[dim(FEATURE.M0) * width + col(0, 0)] = 1;
  // head 1: the last clause that holds sentiment (the marker when none does).
  b1.k[row(1, 1) + dim(FEATURE.SENTF)] = SCORES.clauseContent / F;
  b1.k[row(1, 1) + dim(FEATURE.QM)] = SCORES.clauseContent / F;
  b1.k[row(1, 2) + dim(FEATURE.SCL)] = -SCORES.clause * fromCount * F;
  b1.v[row(1, 0) + dim(FEATURE.SENT)] = 1;
  b1.o[dim(FEATURE.M1) * width + col(1, 0)] = 1;
  // head 2: answer words named outside questions (U == AC), else <s>.
  b1.k[row(2, 1) + dim(FEATURE.LABEL)] = SCORES.label / F;
  b1.k[row(2, 1) + dim(FEATURE.BOS)] = SCORES.labelFallback / F;
  b1.k[row(2, 2) + dim(FEATURE.U)] = SCORES.answerPart * fromCount * F;
  b1.k[row(2, 3) + dim(FEATURE.AC)] = -SCORES.answerPart * fromCount * F;
  LABEL_WORDS.forEach((_, w) => {
    b1.v[row(2, w) + dim(FEATURE.LW + w)] = 1;
    b1.o[dim(FEATURE.WOUT + w) * width + col(2, w)] = 1;
  });
  // FFN 1: SEEN = a step of WOUT, (silu(K(x - t)) - silu(K(x - 2t))) / (K t) with K t = 200: 0 when the
  // word was never named (silu(-200) is -0 in F32), 1 once it holds 2t = 4% of the attention or more
  // (up to 25 named words), so one example's label counts as much as ten.
  const STEP = 10000;
  const T = 0.02;
  LABEL_WORDS.forEach((_, w) => {
    for (const [unit, t, sign] of [
      [2 * w, T, 1],
      [2 * w + 1, 2 * T, -1],
    ] as const) {
      b1.gate[unit * nEmbd + dim(FEATURE.WOUT + w)] = STEP / F;
      b1.gate[unit * nEmbd + dim(FEATURE.CONST)] = (-STEP * t) / F;
      b1.up[unit * nEmbd + dim(FEATURE.CONST)] = 1 / F;
      b1.down[dim(FEATURE.SEEN + w) * FF + unit] = (sign * F) / (STEP * T);
    }
  });

  return { nEmbd, nHead: N_HEAD, headDim: HEAD_DIM, ff: FF, ropeScale: ROPE_SCALE, tokenEmbd, output, blocks: [b0, b1], base, stateValue };
}
