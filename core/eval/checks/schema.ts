// A check (promptfoo calls it an assertion): one test an output must pass, as data.
//
// The shape follows promptfoo's `assert` entries ({ type, value, threshold, weight, ... }) so a
// promptfoo config maps onto it one to one, plus `target` (Shotglass's own: is the check applied to
// the extracted answer or the whole output). A type Shotglass does not know is still accepted and
// kept with all its fields (looseObject) so an imported promptfoo file exports back unchanged;
// `unsupportedCheckTypes` lists such types by name so nothing is silently dropped.
import { z } from 'zod';

/** Deterministic check types, graded by pure code (deterministic.ts, json.ts). */
export const DETERMINISTIC_TYPES = [
  'equals',
  'contains',
  'icontains',
  'contains-any',
  'contains-all',
  'icontains-any',
  'icontains-all',
  'starts-with',
  'regex',
  'is-json',
  'contains-json',
  'levenshtein',
  'word-count',
] as const;
/** Probability checks: graded from log-probabilities the runner supplies (probability.ts). */
export const PROBABILITY_TYPES = ['label-probability', 'label-margin', 'perplexity'] as const;
/** Checks graded outside pure code: `javascript` in a worker (service/eval), `llm-rubric` by a judge model. */
export const EXTERNAL_TYPES = ['javascript', 'llm-rubric'] as const;

export const SUPPORTED_TYPES = [...DETERMINISTIC_TYPES, ...PROBABILITY_TYPES, ...EXTERNAL_TYPES] as const;
export type SupportedType = (typeof SUPPORTED_TYPES)[number];

export const CheckTargetSchema = z.enum(['answer', 'output'], { error: 'must be answer or output' });

export const CheckSchema = z.looseObject({
  type: z.string({ error: 'must be a check type' }).min(1, 'must not be empty').max(100),
  /** what the check compares with: text, a list of texts, a number, or (JSON checks) a JSON schema */
  value: z.unknown().optional(),
  /** levenshtein: the largest distance; probability checks: the limit; llm-rubric: unused */
  threshold: z.number({ error: 'must be a number' }).optional(),
  /** how much this check counts in the case's score; 0 = reported only */
  weight: z.number({ error: 'must be a number' }).min(0, 'must be 0 or more').optional(),
  /** the extracted answer (default, the whole output when no extraction rule finds one) or the whole output */
  target: CheckTargetSchema.optional(),
  /** a name for reports (promptfoo's `metric`) */
  metric: z.string().max(200).optional(),
});
export type Check = z.output<typeof CheckSchema>;

export interface CheckKind {
  /** the type without `not-` */
  base: string;
  negated: boolean;
  supported: boolean;
}

/** Splits `not-contains` into { base: 'contains', negated: true }; `not-` works on every type. */
export function checkKind(type: string): CheckKind {
  const negated = type.startsWith('not-');
  const base = negated ? type.slice(4) : type;
  return { base, negated, supported: (SUPPORTED_TYPES as readonly string[]).includes(base) };
}

/** The distinct types in these checks that Shotglass cannot grade (kept, reported by name). */
export function unsupportedCheckTypes(checks: Iterable<Check>): string[] {
  const out = new Set<string>();
  for (const c of checks) if (!checkKind(c.type).supported) out.add(c.type);
  return [...out].sort();
}

/** The outcome of one check on one output. */
export interface CheckResult {
  type: string;
  pass: boolean;
  /** 0..1; for a pass/fail check 1 or 0 */
  score: number;
  /** why, in words ("expected to contain "Positive"") */
  reason: string;
  weight: number;
  /** true when the check could not be graded here (unsupported type, missing log-probabilities) */
  skipped?: boolean;
}
