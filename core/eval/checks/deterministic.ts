// The deterministic checks: text comparisons graded by pure code. Each returns a fact about the text
// ("contains "Positive"" / "does not contain "Positive""), so `not-` can flip the verdict and keep
// the reason true.
import { distance } from 'fastest-levenshtein';
import { checkedText, fillVars, quote, type CheckContext } from './context.js';
import type { Check } from './schema.js';

export interface Outcome {
  pass: boolean;
  score: number;
  reason: string;
}

const ok = (pass: boolean, reason: string): Outcome => ({ pass, score: pass ? 1 : 0, reason });

/** A list value: a YAML list, or a comma-separated text as promptfoo's CSV form writes it. */
function listValue(value: unknown, vars: Record<string, string>): string[] {
  if (Array.isArray(value)) return value.map((v) => fillVars(String(v), vars));
  if (typeof value === 'string') return value.split(',').map((v) => fillVars(v.trim(), vars)).filter((v) => v !== '');
  return [];
}

function textValue(value: unknown, vars: Record<string, string>): string | null {
  if (typeof value === 'string') return fillVars(value, vars);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** The words of a text: runs of non-space characters, as a reader would count them. */
export function countWords(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/u).length;
}

/**
 * Grades a deterministic check (without its `not-`); null when `base` is not one of them.
 * `text` is null when the check targets an answer the extraction rule did not find.
 */
export function gradeDeterministic(base: string, check: Check, ctx: CheckContext): Outcome | null {
  const text = checkedText(check.target, ctx);
  const where = check.target === 'output' ? 'the output' : 'the answer';
  if (text === null) return ok(false, 'no answer found in the output');
  const value = textValue(check.value, ctx.vars);
  const need = (what: string): Outcome => ok(false, `the check needs ${what}`);
  switch (base) {
    case 'equals':
      if (value === null) return need('a text value');
      return ok(text === value, text === value ? `${where} equals ${quote(value)}` : `${where} is ${quote(text)}, not ${quote(value)}`);
    case 'contains':
    case 'icontains': {
      if (value === null) return need('a text value');
      const fold = base === 'icontains';
      const has = fold ? text.toLowerCase().includes(value.toLowerCase()) : text.includes(value);
      const ci = fold ? ' (ignoring case)' : '';
      return ok(has, `${where} ${has ? 'contains' : 'does not contain'} ${quote(value)}${ci}`);
    }
    case 'contains-any':
    case 'contains-all':
    case 'icontains-any':
    case 'icontains-all': {
      const items = listValue(check.value, ctx.vars);
      if (items.length === 0) return need('a list of texts');
      const fold = base.startsWith('i');
      const hay = fold ? text.toLowerCase() : text;
      const found = items.filter((i) => hay.includes(fold ? i.toLowerCase() : i));
      const missing = items.filter((i) => !found.includes(i));
      if (base.endsWith('-any'))
        return ok(found.length > 0, found.length > 0 ? `${where} contains ${quote(found[0]!)}` : `${where} contains none of ${items.map((i) => quote(i, 30)).join(', ')}`);
      return ok(missing.length === 0, missing.length === 0 ? `${where} contains all ${items.length}` : `${where} lacks ${missing.map((i) => quote(i, 30)).join(', ')}`);
    }
    case 'starts-with': {
      if (value === null) return need('a text value');
      const has = text.startsWith(value);
      return ok(has, `${where} ${has ? 'starts' : 'does not start'} with ${quote(value)}`);
    }
    case 'regex': {
      if (value === null) return need('a pattern');
      let re: RegExp;
      try {
        re = new RegExp(value);
      } catch {
        return ok(false, `${quote(value)} is not a valid regular expression`);
      }
      const m = re.test(text);
      return ok(m, `${where} ${m ? 'matches' : 'does not match'} /${value}/`);
    }
    case 'levenshtein': {
      if (value === null) return need('a text value');
      // promptfoo's default largest distance is 5
      const max = check.threshold ?? 5;
      const d = distance(text, value);
      return ok(d <= max, `edit distance to ${quote(value)} is ${d} (at most ${max} allowed)`);
    }
    case 'word-count': {
      const n = countWords(text);
      const range = wordRange(check.value);
      if (!range) return need('a number or { min, max }');
      const pass = (range.min === undefined || n >= range.min) && (range.max === undefined || n <= range.max);
      const want = range.min === range.max ? `${range.min}` : `${range.min ?? 0} to ${range.max ?? 'any number of'}`;
      return ok(pass, `${where} has ${n} word${n === 1 ? '' : 's'} (wanted ${want})`);
    }
    default:
      return null;
  }
}

function wordRange(value: unknown): { min?: number; max?: number } | null {
  if (typeof value === 'number') return { min: value, max: value };
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return { min: Number(value), max: Number(value) };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { min, max } = value as { min?: unknown; max?: unknown };
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
    if (num(min) === undefined && num(max) === undefined) return null;
    return { ...(num(min) !== undefined ? { min: num(min)! } : {}), ...(num(max) !== undefined ? { max: num(max)! } : {}) };
  }
  return null;
}
