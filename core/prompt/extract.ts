// Answer extraction: which part of a model's output is "the answer" (for chain-of-thought, for
// comparing runs, for evaluation). Every rule returns null when it finds nothing; a found answer
// is trimmed of surrounding whitespace and is never empty.
//
//   full          the whole output
//   first-line    the first non-blank line (for base models that run on past the answer)
//   last-line     the last non-blank line
//   after-marker  the rest of the line after the first occurrence of `marker` (e.g. `Answer:`);
//                 when that is blank, the next non-blank line
//   regex         the first match of `pattern`: its group named `answer` if it has one, else its
//                 first capture group if it has one, else the whole match
import { z } from 'zod';

const REGEX_FLAGS = /^(?!.*(.).*\1)[imsu]*$/;

export const ExtractionRuleSchema = z.discriminatedUnion(
  'rule',
  [
    z.strictObject({ rule: z.literal('full') }),
    z.strictObject({ rule: z.literal('first-line') }),
    z.strictObject({ rule: z.literal('last-line') }),
    z.strictObject({
      rule: z.literal('after-marker'),
      marker: z
        .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
        .min(1, 'must not be empty')
        .max(200, 'must be at most 200 characters'),
    }),
    z
      .strictObject({
        rule: z.literal('regex'),
        pattern: z
          .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
          .min(1, 'must not be empty')
          .max(2000, 'must be at most 2000 characters'),
        flags: z
          .string({ error: 'must be text' })
          .regex(REGEX_FLAGS, 'may only hold the flags i, m, s and u, each once')
          .default(''),
      })
      .superRefine((r, ctx) => {
        if (!REGEX_FLAGS.test(r.flags)) return;
        const problem = regexProblem(r.pattern, r.flags);
        if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: `is not a valid regular expression (${problem})` });
      }),
  ],
  {
    error: (i) =>
      // zod types this as invalid_union, but a non-object arrives as invalid_type
      (i.code as string) === 'invalid_type' ? 'must be a mapping with a rule' : 'must be full, first-line, last-line, after-marker or regex',
  },
);
export type ExtractionRule = z.output<typeof ExtractionRuleSchema>;
export const EXTRACTION_RULES = ['full', 'first-line', 'last-line', 'after-marker', 'regex'] as const;

function regexProblem(pattern: string, flags: string): string | null {
  try {
    new RegExp(pattern, flags);
    return null;
  } catch (error) {
    // V8: "Invalid regular expression: /(/u: Unterminated group" -> "Unterminated group"
    const message = error instanceof Error ? error.message : String(error);
    return message.slice(message.lastIndexOf(': ') + 2) || message;
  }
}

export interface ExtractedAnswer {
  text: string;
  /** where the answer is in the output (UTF-16 offsets), for highlighting */
  start: number;
  end: number;
}

/** The answer in a model's output, or null when the rule finds none. */
export function extractAnswer(output: string, rule: ExtractionRule): string | null {
  return locateAnswer(output, rule)?.text ?? null;
}

export function locateAnswer(output: string, rule: ExtractionRule): ExtractedAnswer | null {
  switch (rule.rule) {
    case 'full':
      return trimmedSpan(output, 0, output.length);
    case 'first-line':
      return lines(output, 0).map((l) => trimmedSpan(output, l.start, l.end)).find((s) => s !== null) ?? null;
    case 'last-line':
      return (
        lines(output, 0)
          .reverse()
          .map((l) => trimmedSpan(output, l.start, l.end))
          .find((s) => s !== null) ?? null
      );
    case 'after-marker': {
      const at = output.indexOf(rule.marker);
      if (at < 0) return null;
      return lines(output, at + rule.marker.length).map((l) => trimmedSpan(output, l.start, l.end)).find((s) => s !== null) ?? null;
    }
    case 'regex': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(rule.pattern, `${rule.flags ?? ''}d`);
      } catch {
        return null;
      }
      const m = pattern.exec(output);
      if (!m) return null;
      const indices = m.indices!;
      const span = m.groups && 'answer' in m.groups ? indices.groups?.answer : m.length > 1 ? indices[1] : indices[0];
      return span ? trimmedSpan(output, span[0], span[1]) : null;
    }
  }
}

/** Lines of text from `from` on (the first one starts at `from`), as [start, end) without the newline. */
function lines(text: string, from: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = from;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    out.push({ start, end: end > start && text[end - 1] === '\r' ? end - 1 : end });
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

function trimmedSpan(text: string, start: number, end: number): ExtractedAnswer | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { text: text.slice(start, end), start, end } : null;
}
