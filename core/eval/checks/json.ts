// is-json / contains-json, with an optional JSON schema.
//
// Validator: @cfworker/json-schema rather than ajv. Ajv compiles each schema to code with
// `new Function`, which the renderer's Content-Security-Policy forbids (no 'unsafe-eval'), and these
// checks are pure code meant to run anywhere (re-grading in the UI included). @cfworker/json-schema
// interprets the schema instead (drafts 4, 7, 2019-09 and 2020-12), has no dependencies and is kept
// up to date.
import { Validator, type Schema } from '@cfworker/json-schema';
import { checkedText, type CheckContext } from './context.js';
import type { Outcome } from './deterministic.js';
import type { Check } from './schema.js';

/** The first JSON object or array inside a text (balanced scan, strings respected), or undefined. */
export function findJson(text: string): { value: unknown } | undefined {
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== '{' && open !== '[') continue;
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          try {
            return { value: JSON.parse(text.slice(start, i + 1)) };
          } catch {
            break; // balanced but not JSON (e.g. "[see above]"): try the next opening
          }
        }
      }
    }
  }
  return undefined;
}

function schemaOf(value: unknown): { schema?: Schema; problem?: string } {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') {
    try {
      return { schema: JSON.parse(value) as Schema };
    } catch {
      return { problem: 'the JSON schema is not valid JSON' };
    }
  }
  if (typeof value === 'object') return { schema: value as Schema };
  return { problem: 'the JSON schema must be a mapping' };
}

export function gradeJson(base: 'is-json' | 'contains-json', check: Check, ctx: CheckContext): Outcome {
  const text = checkedText(check.target, ctx);
  const where = check.target === 'output' ? 'the output' : 'the answer';
  if (text === null) return { pass: false, score: 0, reason: 'no answer found in the output' };
  let found: { value: unknown } | undefined;
  if (base === 'is-json') {
    try {
      found = { value: JSON.parse(text) };
    } catch {
      found = undefined;
    }
  } else found = findJson(text);
  if (!found) return { pass: false, score: 0, reason: base === 'is-json' ? `${where} is not valid JSON` : `${where} contains no JSON object or array` };
  const { schema, problem } = schemaOf(check.value);
  if (problem) return { pass: false, score: 0, reason: problem };
  const what = base === 'is-json' ? `${where} is JSON` : `${where} contains JSON`;
  if (!schema) return { pass: true, score: 1, reason: what };
  const result = new Validator(schema, '2020-12', true).validate(found.value);
  if (result.valid) return { pass: true, score: 1, reason: `${what} matching the schema` };
  // the deepest error says what is wrong; the first ones only say "properties failed"
  const err = result.errors[result.errors.length - 1];
  const at = err?.instanceLocation && err.instanceLocation !== '#' ? ` at ${err.instanceLocation.slice(1)}` : '';
  return { pass: false, score: 0, reason: `${what} but not matching the schema${at}: ${err?.error ?? 'invalid'}` };
}
