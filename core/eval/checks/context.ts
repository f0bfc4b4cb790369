// What a check sees of one run: the output, the extracted answer and the case's variables, plus the
// log-probabilities a runner measured for the probability checks.

export interface ProbabilityInputs {
  /** per label, the log-probabilities of its tokens when the label is forced at the answer position */
  labelLogprobs?: Record<string, readonly number[]>;
  /** the log-probabilities of the reference answer's tokens (for perplexity) */
  referenceLogprobs?: readonly number[];
}

export interface CheckContext {
  output: string;
  /**
   * The extracted answer. The runner passes the output itself when the variant has no extraction
   * rule, and null when a rule found nothing: a check on the answer then fails ("no answer found")
   * rather than quietly grading the whole output.
   */
  answer: string | null;
  vars: Record<string, string>;
  probabilities?: ProbabilityInputs;
}

/** The text a check looks at, or null when it targets an answer that was not found. */
export function checkedText(target: 'answer' | 'output' | undefined, ctx: CheckContext): string | null {
  return target === 'output' ? ctx.output : ctx.answer;
}

/**
 * `{{name}}` in a check's value is replaced by the case's variable, as promptfoo does (it renders
 * values with Nunjucks); only plain names are supported, an unknown name is left as written.
 */
export function fillVars(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : whole));
}

/** Quote a text for a reason, shortened so a reason stays one readable line. */
export function quote(text: string, max = 60): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return JSON.stringify(short);
}
