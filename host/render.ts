// Prompt input -> the exact tokens a model evaluates, and the same as visible text. Used for the
// preview (renderPrompt) and for execution, so what the user previews is what the model gets.
import type { LlamaModel, Token } from 'node-llama-cpp';
import { ApiError, type ChatMessage, type PromptInput, type RenderedPrompt } from '../core/api/contract.js';
import { renderInSandbox } from './jinja-sandbox.js';

/**
 * The most text tokenized at once (UTF-8 bytes). llama.cpp's tokenizer runs on this process's only
 * thread and is slow on long runs without spaces (1 MB of emoji took 27 s, blocking Stop and every
 * other run; 900 KB of Chinese text took 5 s here); a limit keeps any one call short. 512 KiB is
 * ~130k tokens of English prose, the size of the largest contexts people run locally.
 */
export const MAX_TOKENIZE_BYTES = 512 * 1024;
/** The most tokens listed one by one (renderPrompt, tokenize): each is detokenized on its own. */
export const MAX_LISTED_TOKENS = 65_536;

function checkListable(count: number): void {
  if (count > MAX_LISTED_TOKENS) {
    throw new ApiError('invalid-argument', `the text is ${count.toLocaleString('en')} tokens; Shotglass lists at most ${MAX_LISTED_TOKENS.toLocaleString('en')} tokens at once`);
  }
}
/** The longest stretch without whitespace tokenized at once: the tokenizer's slow case. */
export const MAX_UNBROKEN_CHARS = 64 * 1024;

/** Refuse text the tokenizer would take too long on, with the reason. */
export { checkListable };

export function checkTokenizable(text: string, what = 'the text'): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TOKENIZE_BYTES) {
    throw new ApiError('invalid-argument', `${what} is ${Math.ceil(bytes / 1024).toLocaleString('en')} KB; Shotglass tokenizes at most ${MAX_TOKENIZE_BYTES / 1024} KB at once`);
  }
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    run = c === 32 || c === 10 || c === 9 || c === 13 ? 0 : run + 1;
    if (run > MAX_UNBROKEN_CHARS) {
      throw new ApiError('invalid-argument', `${what} has more than ${MAX_UNBROKEN_CHARS.toLocaleString('en')} characters without a space or line break, which the tokenizer cannot take in reasonable time`);
    }
  }
}

type NodeLlamaCpp = typeof import('node-llama-cpp');

export interface PromptTokens {
  tokens: Token[];
  /** plain-text markers where a chat template ends the assistant's turn */
  stopStrings: string[];
  mode: 'completion' | 'chat';
}

/** Raw text as llama.cpp tokenizes a prompt: BOS first when the model wants one. */
export function tokenizeCompletion(model: LlamaModel, text: string): Token[] {
  checkTokenizable(text);
  const ids = model.tokenize(text, false);
  const bos = model.tokens.bos;
  return bos !== null && model.tokens.shouldPrependBosToken ? [bos, ...ids] : ids;
}

export async function promptTokens(lib: NodeLlamaCpp, model: LlamaModel, input: PromptInput): Promise<PromptTokens> {
  if (input.mode === 'completion') return { tokens: tokenizeCompletion(model, input.text), stopStrings: [], mode: 'completion' };
  const template = input.template ?? modelChatTemplate(model);
  if (!template) {
    throw new ApiError('invalid-argument', 'this model has no chat template in its file; give one to use chat mode');
  }
  const { text, endOfTurn } = await renderChat(model, template, input.messages);
  checkTokenizable(text, 'the rendered chat');
  // As llama.cpp's server does: the rendered text is tokenized in one piece, parsing special
  // tokens, with BOS added when the model wants it and the template did not write it.
  const ids = model.tokenize(text, true);
  const bos = model.tokens.bos;
  const tokens = bos !== null && model.tokens.shouldPrependBosToken && ids[0] !== bos ? [bos, ...ids] : ids;
  return { tokens, stopStrings: endOfTurn ? [endOfTurn] : [], mode: 'chat' };
}

const SENTINEL = '\u0000shotglass-end-of-turn\u0000';

/**
 * Messages through a Jinja chat template, as Hugging Face's apply_chat_template renders them, in
 * the sandbox (a worker with a deadline and a heap cap: see jinja-sandbox.ts).
 */
export async function renderChat(
  model: LlamaModel,
  template: string,
  messages: ChatMessage[],
): Promise<{ text: string; endOfTurn: string | null }> {
  const special = (id: number | null) => (id === null ? '' : model.detokenize([id as Token], true));
  const context = { bos_token: special(model.tokens.bos), eos_token: special(model.tokens.eos) };
  const [text = '', probe = ''] = await renderInSandbox({
    template,
    contexts: [
      { ...context, messages, add_generation_prompt: true },
      // What the template writes after an assistant message is where the assistant's turn ends.
      { ...context, messages: [...messages, { role: 'assistant', content: SENTINEL }], add_generation_prompt: false },
    ],
  });
  const after = probe.includes(SENTINEL) ? probe.slice(probe.indexOf(SENTINEL) + SENTINEL.length) : '';
  const endOfTurn = after.trimEnd() || after;
  return { text, endOfTurn: endOfTurn || null };
}

export function modelChatTemplate(model: LlamaModel): string | null {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  return typeof template === 'string' && template.length > 0 ? template : null;
}

export async function renderPrompt(lib: NodeLlamaCpp, model: LlamaModel, contextSize: number, input: PromptInput): Promise<RenderedPrompt> {
  const { tokens, stopStrings } = await promptTokens(lib, model, input);
  checkListable(tokens.length);
  // Each token as llama.cpp detokenizes it after the tokens before it (so spaces show where they are).
  const listed = tokens.map((id, i) => ({
    id,
    text: model.detokenize([id], true, tokens.slice(Math.max(0, i - 8), i)),
    special: model.isSpecialToken(id),
  }));
  return { text: listed.map((t) => t.text).join(''), tokens: listed, contextSize, stopStrings };
}
