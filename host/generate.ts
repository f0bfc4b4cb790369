// One run on one sequence, driven token by token through node-llama-cpp's low-level sequence
// API: reuses whatever prefix of the prompt the sequence already holds in its KV cache, reports
// each token's probability and top alternatives, and ends exactly at stop strings.
import type { LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import type { FinishReason, RunMetrics, Sampling, TokenStep } from '../core/api/contract.js';
import { evaluateOptions } from './samplers.js';
import type { StepBarrier } from './decode-barrier.js';
import { StopMatcher } from './stop-matcher.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

export interface GenerateArgs {
  lib: NodeLlamaCpp;
  model: LlamaModel;
  sequence: LlamaContextSequence;
  prompt: Token[];
  sampling: Sampling & { seed: number };
  topProbabilities: number;
  grammar?: LlamaGrammar;
  /** stop strings besides the user's (a chat template's end of turn) */
  extraStops: string[];
  signal: AbortSignal;
  onDelta: (text: string, steps: TokenStep[]) => void;
  /** shared by the runs of one context so their tokens go out in the same decode */
  barrier: StepBarrier;
  /** the sequence's id in its context (sequences are created in order, so its index): the barrier's release order */
  rank: number;
  /** when the run started (its time to first token counts from here) */
  started: number;
  /** how the prompt was prepared before this call (see Engine.sharePrompt) */
  shared: { evaluated: number; copied: number };
}

export interface Generated {
  text: string;
  tokens: number[];
  steps: TokenStep[];
  finishReason: FinishReason;
  stopString?: string;
  metrics: RunMetrics;
}

/** How many leading tokens of `prompt` the sequence already holds; at least one token is always re-evaluated (it yields the logits). */
export function reusablePrefix(held: readonly Token[], prompt: readonly Token[]): number {
  return Math.min(commonPrefix(held, prompt), prompt.length - 1);
}

/** Drops what the sequence holds after its first `keep` tokens (its cache of those stays). */
export async function keepOnly(sequence: LlamaContextSequence, keep: number): Promise<void> {
  if (sequence.nextTokenIndex > keep) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
}

/** How many leading tokens two token lists share. */
export function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Per model: the name of each special token seen so far (null: an ordinary token). */
const specialNames = new WeakMap<object, Map<Token, string | null>>();

/**
 * A special or control token's name ("<unk>", "</s>"): such tokens detokenize to nothing in the
 * output, so the step carries the name for the views to mark. Cached: asked once per token id.
 */
function specialName(model: GenerateArgs['model'], token: Token): string | null {
  let names = specialNames.get(model);
  if (!names) specialNames.set(model, (names = new Map()));
  let name = names.get(token);
  if (name === undefined) {
    name = model.isSpecialToken(token) ? model.detokenize([token], true) || `<token ${token}>` : null;
    names.set(token, name);
  }
  return name;
}

export async function generate(args: GenerateArgs): Promise<Generated> {
  const { lib, model, sequence, prompt, sampling, signal, started } = args;
  const reused = reusablePrefix(sequence.contextTokens, prompt);
  await keepOnly(sequence, reused);
  const toEvaluate = prompt.slice(reused);

  const tokens: Token[] = [];
  const steps: TokenStep[] = [];
  const history = () => [...prompt, ...tokens];
  // A grammar knows where its text is complete (e.g. JSON followed by blank lines).
  const grammarStops = (args.grammar?.stopGenerationTriggers ?? [])
    .map((trigger) => {
      const parts: readonly unknown[] =
        typeof trigger === 'string' ? [trigger] : lib.isLlamaText(trigger) ? trigger.values : (trigger as readonly unknown[]);
      return parts.filter((v): v is string => typeof v === 'string').join('');
    })
    .filter((s) => s.length > 0);
  const stops = new StopMatcher([...sampling.stop, ...args.extraStops, ...grammarStops]);
  let text = '';
  let pending: Array<{ id: Token; p: number; top: TokenStep['top']; special?: string }> = [];
  let finishReason: FinishReason = 'maxTokens';
  let stopString: string | undefined;
  let firstTokenAt: number | undefined;
  const contextLimit = sequence.context.contextSize;

  const grammarEvaluationState = args.grammar ? new lib.LlamaGrammarEvaluationState({ model, grammar: args.grammar }) : undefined;
  const iterator = sequence.evaluateWithMetadata(
    toEvaluate,
    { confidence: true, probabilities: args.topProbabilities > 0 },
    { ...evaluateOptions(lib, model, sampling, history), grammarEvaluationState, yieldEogToken: true },
  );

  // Tokens are turned into text against the tokens before them (SentencePiece drops a leading
  // space on a sequence's first piece otherwise); a token that ends inside a UTF-8 character
  // waits for the rest of it. All of a chunk's text is given to its last token.
  const flush = (force: boolean): boolean => {
    if (!pending.length) return false;
    const ids = pending.map((s) => s.id);
    const context = history().slice(-8);
    const chunk = model.detokenize(ids, false, context);
    if (!force && chunk.endsWith('\uFFFD') && pending.length < 4) return false;
    const chunkSteps = pending.map((s, i) => ({ ...s, text: i === pending.length - 1 ? chunk : '' }));
    tokens.push(...ids);
    steps.push(...chunkSteps);
    pending = [];
    const scan = stops.push(chunk);
    text += scan.emit;
    if (scan.emit || chunkSteps.length) args.onDelta(scan.emit, chunkSteps);
    if (scan.stopped !== undefined) {
      stopString = scan.stopped;
      return true;
    }
    return false;
  };

  args.barrier.join();
  try {
    for (;;) {
      await args.barrier.step(args.rank);
      const next = await iterator.next();
      if (next.done) break;
      const output = next.value;
      firstTokenAt ??= performance.now();
      if (signal.aborted) {
        finishReason = 'cancelled';
        break;
      }
      if (model.isEogToken(output.token)) {
        finishReason = 'eos';
        break;
      }
      const context = history().slice(-8);
      const top: TokenStep['top'] = [];
      const probabilities = (output as { probabilities?: Map<Token, number> }).probabilities;
      if (probabilities) {
        for (const [id, p] of probabilities) {
          if (top.length >= args.topProbabilities) break;
          top.push({ id, p, text: model.detokenize([id], true, context) });
        }
      }
      const special = specialName(model, output.token);
      pending.push({ id: output.token, p: output.confidence ?? NaN, top, ...(special !== null ? { special } : {}) });
      if (flush(false)) {
        finishReason = 'stop';
        break;
      }
      if (tokens.length + pending.length >= sampling.maxTokens) break;
      if (prompt.length + tokens.length + pending.length >= contextLimit) {
        finishReason = 'contextFull';
        break;
      }
    }
  } finally {
    args.barrier.leave();
    await iterator.return?.();
  }
  if (finishReason !== 'stop' && flush(true)) finishReason = 'stop';
  if (finishReason !== 'stop') {
    const rest = stops.flush();
    text += rest;
    if (rest) args.onDelta(rest, []);
  }
  if (sampling.trimWhitespace || args.grammar?.trimWhitespaceSuffix) text = text.trimEnd();

  const ended = performance.now();
  const ttft = (firstTokenAt ?? ended) - started;
  const generated = tokens.length;
  const evaluated = toEvaluate.length + args.shared.evaluated;
  return {
    text,
    tokens,
    steps,
    finishReason,
    stopString,
    metrics: {
      ttftMs: ttft,
      totalMs: ended - started,
      promptTokens: prompt.length,
      evaluatedPromptTokens: evaluated,
      ...(args.shared.copied ? { sharedPromptTokens: args.shared.copied } : {}),
      // a follower's wait for the shared evaluation is part of its time to first token: count what it got
      promptTokensPerSecond: ttft > 0 ? ((evaluated + args.shared.copied) * 1000) / ttft : 0,
      generatedTokens: generated,
      tokensPerSecond: generated > 1 && firstTokenAt !== undefined ? ((generated - 1) * 1000) / (ended - firstTokenAt) : 0,
    },
  };
}
