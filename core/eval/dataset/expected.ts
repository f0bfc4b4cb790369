// promptfoo's one-cell check syntax, used in CSV `__expected` columns:
//
//   Positive                 no known prefix: equals "Positive"
//   contains:great           type:value
//   not-icontains:bad        not- works on every type
//   contains-any:a,b,c       list types take comma-separated values
//   levenshtein(3):colour    a threshold in parentheses
//   is-json                  no value
//   javascript:output.length < 20   (also fn: and eval:, as promptfoo reads them)
//   grade:is polite          (also llm-rubric:) a model-graded rubric
//
// Only known type names count as a prefix, so "Note: ..." stays an equals value.
import { checkKind, SUPPORTED_TYPES, type Check } from '../checks/schema.js';

/** promptfoo types we do not grade but must recognise so `similar:x` is not read as equals. */
const OTHER_PROMPTFOO_TYPES = [
  'similar', 'rouge-n', 'bleu', 'gleu', 'meteor', 'python', 'webhook', 'model-graded-closedqa', 'factuality',
  'answer-relevance', 'context-faithfulness', 'context-recall', 'context-relevance', 'classifier', 'moderation',
  'is-valid-openai-tools-call', 'is-valid-openai-function-call', 'is-xml', 'contains-xml', 'is-sql', 'contains-sql',
  'cost', 'latency', 'perplexity-score', 'select-best', 'g-eval', 'is-refusal', 'icontains-html', 'is-html', 'contains-html',
  'regex-all', 'finish-reason', 'guardrails', 'javascript', 'llm-rubric',
] as const;
const KNOWN = new Set<string>([...SUPPORTED_TYPES, ...OTHER_PROMPTFOO_TYPES]);
const LIST_TYPES = new Set(['contains-any', 'contains-all', 'icontains-any', 'icontains-all']);
const SHAPE = /^(not-)?([a-z]+(?:-[a-z]+)*)(?:\((\d+(?:\.\d+)?)\))?(?::([\s\S]*))?$/;

/** Reads one `__expected` cell into a check. */
export function parseExpected(cell: string): Check {
  for (const [prefix, type] of [['javascript:', 'javascript'], ['fn:', 'javascript'], ['eval:', 'javascript'], ['grade:', 'llm-rubric'], ['llm-rubric:', 'llm-rubric']] as const)
    if (cell.startsWith(prefix)) return { type, value: cell.slice(prefix.length).trim() };
  const m = SHAPE.exec(cell);
  if (!m || !KNOWN.has(m[2]!)) return { type: 'equals', value: cell };
  const [, not, base, threshold, rawValue] = m;
  const type = `${not ?? ''}${base}`;
  const value = rawValue?.trim();
  const check: Check = { type };
  if (value !== undefined && value !== '') check.value = LIST_TYPES.has(base!) ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  if (threshold !== undefined) check.threshold = Number(threshold);
  return check;
}

/** Writes a check in the one-cell syntax, or null when it has parts that syntax cannot hold. */
export function formatExpected(check: Check): string | null {
  const { type, value, threshold, ...rest } = check;
  // weight, target, metric and unknown fields have no place in a cell
  if (Object.values(rest).some((v) => v !== undefined)) return null;
  if (value !== undefined && typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string' && !v.includes(',')))) return null;
  const base = checkKind(type).base;
  if (Array.isArray(value) && !LIST_TYPES.has(base)) return null;
  if (type === 'equals' && threshold === undefined && typeof value === 'string') {
    const plain = parseExpected(value);
    if (plain.type === 'equals' && plain.value === value) return value;
  }
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  // the typed form trims its value: a value with outer spaces would not read back
  if (text !== text.trim()) return null;
  const cell = `${type}${threshold !== undefined ? `(${threshold})` : ''}${text !== '' ? `:${text}` : ''}`;
  const back = parseExpected(cell);
  return back.type === type && JSON.stringify(back.value) === JSON.stringify(value) && back.threshold === threshold ? cell : null;
}

/** A problem that makes a check unusable (bad regex, bad JSON schema text), or null. */
export function checkProblem(check: Check): string | null {
  const { base } = checkKind(check.type);
  if (base === 'regex') {
    if (typeof check.value !== 'string') return 'regex needs a pattern';
    try {
      new RegExp(check.value);
    } catch {
      return 'the regex is not a valid regular expression';
    }
  }
  if ((base === 'is-json' || base === 'contains-json') && typeof check.value === 'string' && check.value.trim() !== '') {
    try {
      JSON.parse(check.value);
    } catch {
      return `the ${base} schema is not valid JSON`;
    }
  }
  const needsText = ['equals', 'contains', 'icontains', 'starts-with', 'levenshtein', 'javascript', 'llm-rubric', 'label-probability'];
  if (needsText.includes(base) && (check.value === undefined || check.value === '')) return `${base} needs a value`;
  if (LIST_TYPES.has(base) && !(Array.isArray(check.value) ? check.value.length : typeof check.value === 'string' && check.value.trim()))
    return `${base} needs a list of values`;
  return null;
}
