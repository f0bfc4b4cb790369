// Model-graded rubric: the pure parts. The judge's prompt is a visible, editable template; its
// reply is parsed into a verdict with the judge's reasoning kept. Running the judge model is the
// runner's job.
import { fillVars } from './context.js';

/** The default judge prompt; {{rubric}}, {{output}}, {{answer}} and the case's variables are filled in. */
export const DEFAULT_JUDGE_TEMPLATE = `You are grading the output of an AI model against a rubric.

Rubric:
{{rubric}}

Output to grade:
<output>
{{output}}
</output>

Does the output satisfy the rubric? Reply with PASS or FAIL on the first line, then one or two sentences of reasoning.`;

export interface JudgeInput {
  rubric: string;
  output: string;
  answer: string | null;
  vars: Record<string, string>;
}

export function buildJudgePrompt(input: JudgeInput, template = DEFAULT_JUDGE_TEMPLATE): string {
  // the case's variables first, so rubric/output/answer cannot be overridden by a variable of that name
  const own: Record<string, string> = { rubric: input.rubric, output: input.output, answer: input.answer ?? '' };
  return fillVars(template, { ...input.vars, ...own });
}

export type Verdict = { ok: true; pass: boolean; score: number; reasoning: string } | { ok: false; error: string };

/**
 * Reads a judge's reply. Accepted: PASS/FAIL as the first word of the first non-blank line (what the
 * default template asks for, with "Verdict:" or markdown around it tolerated), or promptfoo's JSON
 * form {"pass": true, "score": 1, "reason": "..."}. Anything else is an error, never a guess.
 */
export function parseVerdict(reply: string): Verdict {
  const json = jsonVerdict(reply);
  if (json) return json;
  const lines = reply.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { ok: false, error: "the judge's reply is empty" };
  const m = /^[\s*#_`>-]*(?:verdict\s*[:-]\s*)?[*_`]*\s*(PASS|FAIL)\b[*_`]*[\s.:,\u2013\u2014-]*(.*)$/i.exec(lines[first]!);
  if (!m) return { ok: false, error: "the judge's reply does not start with PASS or FAIL" };
  const pass = m[1]!.toUpperCase() === 'PASS';
  const reasoning = [m[2]!, ...lines.slice(first + 1)].join('\n').trim();
  return { ok: true, pass, score: pass ? 1 : 0, reasoning };
}

function jsonVerdict(reply: string): Verdict | null {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end < start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as { pass?: unknown }).pass !== 'boolean') return null;
  const p = parsed as { pass: boolean; score?: unknown; reason?: unknown };
  const score = typeof p.score === 'number' && p.score >= 0 && p.score <= 1 ? p.score : p.pass ? 1 : 0;
  return { ok: true, pass: p.pass, score, reasoning: typeof p.reason === 'string' ? p.reason : '' };
}
