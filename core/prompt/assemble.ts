// Prompt assembly: template + variable values -> exactly what the model receives. The live
// preview and the run both call assemble(), so what you see is what runs.
//
// COMPLETION mode: one text, made of blocks joined by `exampleSeparator` (default a blank line):
//
//   [instruction]                 left out when it renders empty
//   [example] …                   `exampleFormat` with {{input}} and {{output}} filled, per shown example
//   [trigger]                     chain-of-thought with placement before-input only
//   [final input]                 `exampleFormat` up to {{output}}, with {{input}} = the rendered
//                                 `input` template; spaces/tabs before {{output}} are dropped so the
//                                 text ends at the answer prefix (`A:`) and the model writes ` Positive.`
//                                 itself; chain-of-thought after-input adds the trigger after it,
//                                 one space apart: `A: Let's think step by step.`
//
//   e.g. few-shot, exampleFormat `Q: {{input}}\nA: {{output}}`, input `{{review}}`:
//     "Label each review.\n\nQ: This movie was wonderful!\nA: Positive.\n\nQ: This movie sucks!\nA: Negative.\n\nQ: The hotel room was dirty.\nA:"
//
// CHAT mode: messages. Chat turns carry examples as they are (no `exampleFormat`: the roles
// replace the Q:/A: labels) and paragraphs inside a message are joined with a blank line.
//
//   system     `system` (left out when empty); with chat.instructionPlacement `system`, the
//              instruction is appended to it (or is the system message when there is none)
//   user       an example's input           } per shown example; the instruction (placement
//   assistant  an example's output          } first-user, the default) opens the first user message
//   user       the rendered `input`
//
//   e.g. one-shot: [system "You are a careful annotator."]
//                  [user "Label the review.\n\nThis movie was wonderful!"] [assistant "Positive."]
//                  [user "The hotel room was dirty."]
//
// CHAIN OF THOUGHT (technique chain-of-thought) shows every enabled example; one with reasoning
// shows its answer as `chainOfThought.answerFormat` (default "{{reasoning}}\nAnswer: {{output}}").
// With placement after-input (default) the trigger starts each such answer in completion mode
// (`A: Let's think step by step. Roger started with 5 balls. …\nAnswer: 11`, so the final
// `A: Let's think step by step.` continues the same pattern) and, in chat mode, ends each such
// user message and the last one (an assistant message cannot be prefilled). With placement
// before-input the trigger is a paragraph of its own just before the final input and examples
// answer without it. An empty trigger means none. Examples without reasoning show only the answer.
//
// Placeholders: user variables may appear in system, instruction, input, exampleFormat and the
// chain-of-thought trigger and answer format; {{input}}, {{output}} and {{reasoning}} are filled
// by the assembler in exampleFormat and answerFormat only. Example texts and values are inserted
// as they are (never scanned for placeholders). The separator is literal text.
import type { ChatMessage, PromptInput } from '../api/contract.js';
import { answerFormatProblem, exampleFormatProblem, type Template, type Technique } from './template.js';
import { hasReasoning, selectExamples, TECHNIQUE_LABELS, type ExampleSelection } from './technique.js';
import { renderTemplate, valueLookup, type VariableValues } from './variables.js';

export type PromptMessage = ChatMessage;

export type SpanKind = 'system' | 'instruction' | 'example' | 'trigger' | 'input';

/**
 * Where each part of the template landed, for colouring the preview. Completion: offsets into
 * the text. Chat: `message` is the message index and offsets are into its content.
 */
export interface PromptSpan {
  kind: SpanKind;
  start: number;
  end: number;
  exampleIndex?: number;
  message?: number;
}

export interface AssemblyMeta {
  technique: Technique;
  /** which examples are shown, and why the others are not */
  examples: ExampleSelection;
  /** the shown examples whose reasoning is shown (chain-of-thought) */
  reasoningShown: number[];
  /** the user variables the prompt used, in the order they were met */
  variables: string[];
  /** the value each of them got */
  values: Record<string, string>;
  /** the ones that took their declared default */
  defaultsApplied: string[];
  /** variables with no value (only with missing: 'keep'; they stay as `{{name}}` in the text) */
  missing: string[];
  /** given values the prompt does not use */
  unusedValues: string[];
  /**
   * completion: the end of the text after the final input, where the model continues (`A:`, or
   * `A: Let's think step by step.`); chat: null
   */
  answerPrefix: string | null;
  /** things worth telling the user; the prompt is still built */
  warnings: string[];
}

export type AssembledPrompt =
  | { mode: 'completion'; text: string; spans: PromptSpan[]; meta: AssemblyMeta }
  | { mode: 'chat'; messages: PromptMessage[]; spans: PromptSpan[]; meta: AssemblyMeta };

export type PromptErrorCode = 'missing-variables' | 'invalid-template';

export class PromptError extends Error {
  constructor(
    readonly code: PromptErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PromptError';
  }
}

/** Variables without a value or a default; `missing` lists every one, in the order met. */
export class MissingVariablesError extends PromptError {
  readonly missing: readonly string[];
  constructor(missing: readonly string[]) {
    super('missing-variables', missingMessage(missing));
    this.name = 'MissingVariablesError';
    this.missing = [...missing];
  }
}

/** A template the assembler cannot use (only possible for templates that skipped validation). */
export class InvalidTemplateError extends PromptError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super('invalid-template', `${field} ${problem}`);
    this.name = 'InvalidTemplateError';
  }
}

function missingMessage(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  if (quoted.length === 1) return `missing value for variable ${quoted[0]}`;
  return `missing values for variables ${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

export interface AssembleOptions {
  /** throw (default): MissingVariablesError; keep: leave `{{name}}` in place and list it in meta.missing */
  missing?: 'throw' | 'keep';
}

/** Paragraphs inside one chat message. */
export const CHAT_PARAGRAPH = '\n\n';

export function assemble(template: Template, values: VariableValues = {}, options: AssembleOptions = {}): AssembledPrompt {
  const cot = template.technique === 'chain-of-thought';
  const selection = selectExamples(template);
  const reasoningShown = cot ? selection.used.filter((i) => hasReasoning(template.examples[i]!)) : [];

  if (template.mode === 'completion') {
    const problem = exampleFormatProblem(template.exampleFormat);
    if (problem) throw new InvalidTemplateError('exampleFormat', problem);
  }
  if (reasoningShown.length) {
    const problem = answerFormatProblem(template.chainOfThought.answerFormat);
    if (problem) throw new InvalidTemplateError('chainOfThought.answerFormat', problem);
  }

  // Rendering, tracking every user variable met.
  const lookup = valueLookup(template, values);
  const met: string[] = [];
  const missing: string[] = [];
  const resolved: Record<string, string> = {};
  const defaultsApplied: string[] = [];
  const userValue = (name: string): string | undefined => {
    if (!met.includes(name)) met.push(name);
    const found = lookup(name);
    if (!found) {
      if (!missing.includes(name)) missing.push(name);
      return undefined;
    }
    resolved[name] = found.value;
    if (found.fromDefault && !defaultsApplied.includes(name)) defaultsApplied.push(name);
    return found.value;
  };
  const render = (source: string, builtins?: Record<string, string>, before?: string) =>
    renderTemplate(source, (name) => (builtins && Object.hasOwn(builtins, name) ? builtins[name] : userValue(name)), { before }).text;

  const { trigger: triggerSource, placement, answerFormat } = template.chainOfThought;
  const trigger = cot ? render(triggerSource) : '';
  const triggerAfter = placement === 'after-input' && trigger !== '' ? trigger : '';
  const triggerBefore = placement === 'before-input' && trigger !== '' ? trigger : '';
  const answerOf = (i: number): string => {
    const ex = template.examples[i]!;
    if (!reasoningShown.includes(i)) return ex.output;
    return render(answerFormat, { reasoning: ex.reasoning ?? '', output: ex.output });
  };

  const warnings: string[] = [];
  if ((template.technique === 'one-shot' || template.technique === 'few-shot') && selection.used.length === 0) {
    warnings.push(`${TECHNIQUE_LABELS[template.technique]}, but no example is enabled: the prompt shows none`);
  }
  const bare = cot ? selection.used.filter((i) => !reasoningShown.includes(i)) : [];
  if (bare.length) {
    warnings.push(`${listExamples(bare)} ${bare.length === 1 ? 'has' : 'have'} no reasoning: chain-of-thought shows only the answer`);
  }

  const meta = (answerPrefix: string | null): AssemblyMeta => ({
    technique: template.technique,
    examples: selection,
    reasoningShown,
    variables: met,
    values: resolved,
    defaultsApplied,
    missing,
    unusedValues: Object.keys(values).filter((k) => values[k] !== undefined && !met.includes(k)),
    answerPrefix,
    warnings,
  });
  const finish = (assembled: AssembledPrompt): AssembledPrompt => {
    if (missing.length && options.missing !== 'keep') throw new MissingVariablesError(missing);
    return assembled;
  };

  if (template.mode === 'completion') {
    if (template.system !== '') warnings.push('the system message is only used in chat mode');
    const blocks: { kind: SpanKind; text: string; exampleIndex?: number; trigger?: [number, number] }[] = [];
    const instruction = render(template.instruction);
    if (instruction !== '') blocks.push({ kind: 'instruction', text: instruction });
    for (const i of selection.used) {
      const ex = template.examples[i]!;
      const answer = reasoningShown.includes(i) && triggerAfter ? `${triggerAfter} ${answerOf(i)}` : answerOf(i);
      blocks.push({ kind: 'example', exampleIndex: i, text: render(template.exampleFormat, { input: ex.input, output: answer }) });
    }
    if (triggerBefore) blocks.push({ kind: 'trigger', text: triggerBefore });
    const input = render(template.input);
    let final = render(template.exampleFormat, { input }, 'output').replace(/[ \t]+$/, '');
    const inputEnd = render(template.exampleFormat, {}, 'input').length + input.length;
    let triggerRange: [number, number] | undefined;
    if (triggerAfter) {
      final += final === '' || /\s$/.test(final) ? '' : ' ';
      triggerRange = [final.length, final.length + triggerAfter.length];
      final += triggerAfter;
    }
    const answerPrefix = final.slice(inputEnd).trimStart();
    blocks.push({ kind: 'input', text: final, trigger: triggerRange });

    let text = '';
    const spans: PromptSpan[] = [];
    blocks.forEach((block, n) => {
      if (n > 0) text += template.exampleSeparator;
      const start = text.length;
      text += block.text;
      const span: PromptSpan = { kind: block.kind, start, end: text.length };
      if (block.exampleIndex !== undefined) span.exampleIndex = block.exampleIndex;
      spans.push(span);
      if (block.trigger) spans.push({ kind: 'trigger', start: start + block.trigger[0], end: start + block.trigger[1] });
    });
    return finish({ mode: 'completion', text, spans, meta: meta(answerPrefix) });
  }

  // chat
  const messages: PromptMessage[] = [];
  const spans: PromptSpan[] = [];
  const system = render(template.system);
  const instruction = render(template.instruction);
  const toSystem = template.chat.instructionPlacement === 'system';
  let pendingInstruction = toSystem || instruction === '' ? null : instruction;
  const systemParts: { kind: SpanKind; text: string }[] = [{ kind: 'system' as const, text: system }];
  if (toSystem) systemParts.push({ kind: 'instruction', text: instruction });
  pushMessage('system', systemParts.filter((p) => p.text !== ''));

  function pushMessage(role: PromptMessage['role'], parts: { kind: SpanKind; text: string; exampleIndex?: number }[]) {
    if (role === 'system' && parts.length === 0) return;
    if (role === 'user' && pendingInstruction !== null) {
      parts.unshift({ kind: 'instruction', text: pendingInstruction });
      pendingInstruction = null;
    }
    const message = messages.length;
    let content = '';
    parts.forEach((part, n) => {
      if (n > 0) content += CHAT_PARAGRAPH;
      const span: PromptSpan = { kind: part.kind, start: content.length, end: content.length + part.text.length, message };
      if (part.exampleIndex !== undefined) span.exampleIndex = part.exampleIndex;
      spans.push(span);
      content += part.text;
    });
    messages.push({ role, content });
  }

  for (const i of selection.used) {
    const ex = template.examples[i]!;
    const user: { kind: SpanKind; text: string; exampleIndex?: number }[] = [{ kind: 'example', text: ex.input, exampleIndex: i }];
    if (reasoningShown.includes(i) && triggerAfter) user.push({ kind: 'trigger', text: triggerAfter });
    pushMessage('user', user);
    pushMessage('assistant', [{ kind: 'example', text: answerOf(i), exampleIndex: i }]);
  }
  const last: { kind: SpanKind; text: string }[] = [];
  if (triggerBefore) last.push({ kind: 'trigger', text: triggerBefore });
  last.push({ kind: 'input', text: render(template.input) });
  if (triggerAfter) last.push({ kind: 'trigger', text: triggerAfter });
  pushMessage('user', last);
  if (messages[messages.length - 1]!.content === '') warnings.push('the last user message is empty');
  return finish({ mode: 'chat', messages, spans, meta: meta(null) });
}

function listExamples(indices: number[]): string {
  const numbers = indices.map((i) => String(i + 1));
  if (numbers.length === 1) return `example ${numbers[0]}`;
  return `examples ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/** What the run API takes (the contract's PromptInput). */
export function toPromptInput(prompt: AssembledPrompt): PromptInput {
  return prompt.mode === 'completion' ? { mode: 'completion', text: prompt.text } : { mode: 'chat', messages: prompt.messages };
}
