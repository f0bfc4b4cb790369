// Prompt input -> the exact tokens a model evaluates, and the same as visible text. Used for the
// preview (renderPrompt) and for execution, so what the user previews is what the model gets.
import { Template } from '@huggingface/jinja';
import type { LlamaModel, Token } from 'node-llama-cpp';
import { ApiError, type ChatMessage, type PromptInput, type RenderedPrompt } from '../core/api/contract.js';

type NodeLlamaCpp = typeof import('node-llama-cpp');

export interface PromptTokens {
  tokens: Token[];
  /** plain-text markers where a chat template ends the assistant's turn */
  stopStrings: string[];
  mode: 'completion' | 'chat';
}

/** Raw text as llama.cpp tokenizes a prompt: BOS first when the model wants one. */
export function tokenizeCompletion(model: LlamaModel, text: string): Token[] {
  const ids = model.tokenize(text, false);
  const bos = model.tokens.bos;
  return bos !== null && model.tokens.shouldPrependBosToken ? [bos, ...ids] : ids;
}

export function promptTokens(lib: NodeLlamaCpp, model: LlamaModel, input: PromptInput): PromptTokens {
  if (input.mode === 'completion') return { tokens: tokenizeCompletion(model, input.text), stopStrings: [], mode: 'completion' };
  const template = input.template ?? modelChatTemplate(model);
  if (!template) {
    throw new ApiError('invalid-argument', 'this model has no chat template in its file; give one to use chat mode');
  }
  const { text, endOfTurn } = renderChat(model, template, input.messages);
  // As llama.cpp's server does: the rendered text is tokenized in one piece, parsing special
  // tokens, with BOS added when the model wants it and the template did not write it.
  const ids = model.tokenize(text, true);
  const bos = model.tokens.bos;
  const tokens = bos !== null && model.tokens.shouldPrependBosToken && ids[0] !== bos ? [bos, ...ids] : ids;
  return { tokens, stopStrings: endOfTurn ? [endOfTurn] : [], mode: 'chat' };
}

const SENTINEL = '\u0000shotglass-end-of-turn\u0000';

/** Messages through a Jinja chat template, as Hugging Face's apply_chat_template renders them. */
export function renderChat(model: LlamaModel, template: string, messages: ChatMessage[]): { text: string; endOfTurn: string | null } {
  const special = (id: number | null) => (id === null ? '' : model.detokenize([id as Token], true));
  const context = { bos_token: special(model.tokens.bos), eos_token: special(model.tokens.eos) };
  try {
    const jinja = new Template(template);
    const text = jinja.render({ ...context, messages, add_generation_prompt: true });
    // What the template writes after an assistant message is where the assistant's turn ends.
    const probe = jinja.render({ ...context, messages: [...messages, { role: 'assistant', content: SENTINEL }], add_generation_prompt: false });
    const after = probe.includes(SENTINEL) ? probe.slice(probe.indexOf(SENTINEL) + SENTINEL.length) : '';
    const endOfTurn = after.trimEnd() || after;
    return { text, endOfTurn: endOfTurn || null };
  } catch (error) {
    throw new ApiError('invalid-argument', `the chat template could not be rendered: ${(error as Error).message}`);
  }
}

export function modelChatTemplate(model: LlamaModel): string | null {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  return typeof template === 'string' && template.length > 0 ? template : null;
}

export function renderPrompt(lib: NodeLlamaCpp, model: LlamaModel, contextSize: number, input: PromptInput): RenderedPrompt {
  const { tokens, stopStrings } = promptTokens(lib, model, input);
  // Each token as llama.cpp detokenizes it after the tokens before it (so spaces show where they are).
  const listed = tokens.map((id, i) => ({
    id,
    text: model.detokenize([id], true, tokens.slice(Math.max(0, i - 8), i)),
    special: model.isSpecialToken(id),
  }));
  return { text: listed.map((t) => t.text).join(''), tokens: listed, contextSize, stopStrings };
}
