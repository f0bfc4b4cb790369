// Prompt input -> the exact tokens a model evaluates, and the same as visible text. Used for the
// preview (renderPrompt) and for execution, so what the user previews is what the model gets.
import type { ChatHistoryItem, LlamaModel, LlamaText, Token } from 'node-llama-cpp';
import { ApiError, type PromptInput, type RenderedPrompt } from '../api/contract.js';

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
  let contextText: LlamaText;
  let stopGenerationTriggers: LlamaText[];
  try {
    const wrapper = new lib.JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer, trimLeadingWhitespaceInResponses: false });
    const history: ChatHistoryItem[] = input.messages.map((m) =>
      m.role === 'system'
        ? { type: 'system', text: m.content }
        : m.role === 'user'
          ? { type: 'user', text: m.content }
          : { type: 'model', response: [m.content] },
    );
    // An empty model turn at the end asks the template for the generation prompt.
    history.push({ type: 'model', response: [] });
    ({ contextText, stopGenerationTriggers } = wrapper.generateContextState({ chatHistory: history }));
  } catch (error) {
    throw new ApiError('invalid-argument', `the chat template could not be rendered: ${(error as Error).message}`);
  }
  const stopStrings = stopGenerationTriggers
    .map((trigger) => trigger.values)
    .filter((values) => values.every((v) => typeof v === 'string'))
    .map((values) => values.join(''))
    .filter((s) => s.length > 0);
  return { tokens: contextText.tokenize(model.tokenizer), stopStrings, mode: 'chat' };
}

export function modelChatTemplate(model: LlamaModel): string | null {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  return typeof template === 'string' && template.length > 0 ? template : null;
}

export function renderPrompt(lib: NodeLlamaCpp, model: LlamaModel, contextSize: number, input: PromptInput): RenderedPrompt {
  const { tokens, stopStrings } = promptTokens(lib, model, input);
  const listed = tokens.map((id) => ({ id, text: model.detokenize([id], true), special: model.isSpecialToken(id) }));
  return { text: listed.map((t) => t.text).join(''), tokens: listed, contextSize, stopStrings };
}
