// Placeholders in template text: `{{name}}`.
//
// Syntax (one lexer, used by the preview, the run, the Monaco highlighter and the diagnostics):
//   - A placeholder is `{{`, optional spaces/tabs, a name, optional spaces/tabs, `}}`:
//     `{{text}}`, `{{ text }}`. Names start with a letter or `_` and go on with letters, digits,
//     `_`, `-` and `.` (Unicode letters count: `{{größe}}`). Newlines inside braces are not allowed.
//   - Anything else is literal text. `{{ not a name }}`, `{{}}` or JSON like `{"a": {"b": 1}}` are
//     kept as they are (the diagnostics flag `{{ … }}` that looks like a mistyped placeholder).
//     `}}` never needs escaping.
//   - Escape: a backslash before `{{` makes it literal: `\{{text}}` renders `{{text}}`. Like in
//     Handlebars, backslashes only mean something right before `{{`: a run of n backslashes there
//     renders n/2 of them (rounded down), and the `{{` is literal when n is odd. So `\\{{text}}` is
//     one backslash followed by the value of text. Backslashes anywhere else are plain text
//     (`C:\path`, `\n` in a regex) and never need doubling.
//   - Values are inserted as they are: a value containing `{{x}}` is not expanded again.
// `escapeLiteral(text)` turns any text into template source that renders exactly that text;
// `buildTemplate(parts)` joins literal text and placeholders safely.
//
// Offsets are UTF-16 code units (what Monaco's model.getPositionAt takes); lines and columns are
// 1-based, like Monaco's.
import type { Template } from './template.js';
import { activeFields, type TemplateField } from './technique.js';

/** Filled in by the assembler inside the example format and the chain-of-thought answer format. */
export const BUILTIN_VARIABLES = ['input', 'output', 'reasoning'] as const;
export type BuiltinVariable = (typeof BUILTIN_VARIABLES)[number];
export const isBuiltinVariable = (name: string): name is BuiltinVariable =>
  (BUILTIN_VARIABLES as readonly string[]).includes(name);

const NAME_SOURCE = '[\\p{L}_][\\p{L}\\p{M}\\p{Nd}_.\\-]*';
const NAME = new RegExp(`^${NAME_SOURCE}$`, 'u');
const PLACEHOLDER = new RegExp(`\\{\\{([ \\t]*)(${NAME_SOURCE})[ \\t]*\\}\\}`, 'uy');
export const MAX_VARIABLE_NAME_LENGTH = 64;

export function isValidVariableName(name: string): boolean {
  return name.length <= MAX_VARIABLE_NAME_LENGTH && NAME.test(name);
}

export type TemplateToken =
  /** literal text; value is the source slice */
  | { kind: 'text'; start: number; end: number; value: string }
  /** backslashes before `{{`; value is what they render (half the backslashes, plus `{{` if odd) */
  | { kind: 'escape'; start: number; end: number; value: string }
  | { kind: 'variable'; start: number; end: number; name: string; nameStart: number; nameEnd: number };

const BACKSLASH = 0x5c;
const OPEN = 0x7b;

/** Split template source into text, escapes and placeholders (covering the source end to end). */
export function tokenize(source: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) tokens.push({ kind: 'text', start: textStart, end, value: source.slice(textStart, end) });
  };
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (c === BACKSLASH) {
      let j = i;
      while (source.charCodeAt(j) === BACKSLASH) j++;
      if (source.startsWith('{{', j)) {
        const n = j - i;
        const literalBraces = n % 2 === 1;
        const end = literalBraces ? j + 2 : j;
        flushText(i);
        tokens.push({ kind: 'escape', start: i, end, value: '\\'.repeat(n >> 1) + (literalBraces ? '{{' : '') });
        i = textStart = end;
      } else {
        i = j;
      }
      continue;
    }
    if (c === OPEN && source.charCodeAt(i + 1) === OPEN) {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(source);
      if (m) {
        const name = m[2]!;
        const nameStart = i + 2 + m[1]!.length;
        flushText(i);
        tokens.push({ kind: 'variable', start: i, end: i + m[0].length, name, nameStart, nameEnd: nameStart + name.length });
        i = textStart = i + m[0].length;
        continue;
      }
    }
    i++;
  }
  flushText(source.length);
  return tokens;
}

/** Names of the placeholders in source, in order of first use, without repeats. */
export function variableNames(source: string): string[] {
  const names = new Set<string>();
  for (const t of tokenize(source)) if (t.kind === 'variable') names.add(t.name);
  return [...names];
}

export interface RenderResult {
  text: string;
  /** placeholders that had no value, in order of first use, without repeats */
  missing: string[];
}

/**
 * Render template source. A placeholder whose lookup gives undefined is missing: it is listed in
 * `missing` and kept in the text as written in the source (for a lenient preview). With `before`,
 * rendering stops at the first placeholder of that name (the answer prefix of an example format).
 */
export function renderTemplate(
  source: string,
  lookup: (name: string) => string | undefined,
  options: { before?: string } = {},
): RenderResult {
  let text = '';
  const missing: string[] = [];
  for (const t of tokenize(source)) {
    if (t.kind === 'variable' && t.name === options.before) break;
    if (t.kind !== 'variable') {
      text += t.value;
      continue;
    }
    const value = lookup(t.name);
    if (value === undefined) {
      if (!missing.includes(t.name)) missing.push(t.name);
      text += source.slice(t.start, t.end);
    } else {
      text += value;
    }
  }
  return { text, missing };
}

/** Template source that renders exactly `text` (every `{{` made literal; nothing else changes). */
export function escapeLiteral(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      let j = i;
      while (text.charCodeAt(j) === BACKSLASH) j++;
      const n = j - i;
      if (text.startsWith('{{', j)) {
        out += '\\'.repeat(2 * n + 1) + '{{';
        i = j + 2;
      } else {
        out += '\\'.repeat(n);
        i = j;
      }
    } else if (c === OPEN && text.charCodeAt(i + 1) === OPEN) {
      out += '\\{{';
      i += 2;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

export type TemplatePart = string | { variable: string };

/**
 * Join literal text and placeholders into template source that renders to the literals and the
 * values in order. Handles the seams: a literal ending in backslashes (or backslashes and `{`)
 * right before a placeholder gets them doubled so they do not escape it.
 */
export function buildTemplate(parts: readonly TemplatePart[]): string {
  // merge adjacent literals first: escaping is not compositional across a `{` + `{` seam
  const merged: TemplatePart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else merged.push(part);
  }
  let out = '';
  merged.forEach((part, index) => {
    if (typeof part !== 'string') {
      if (!isValidVariableName(part.variable)) throw new Error(`"${part.variable}" is not a valid variable name`);
      out += `{{${part.variable}}}`;
      return;
    }
    let escaped = escapeLiteral(part);
    if (typeof merged[index + 1] === 'object') {
      const seam = /(\\+)(\{?)$/.exec(escaped);
      // Only plain trailing backslashes (escapeLiteral output ends in `{{` when they escaped something).
      if (seam && !escaped.endsWith('{{')) {
        escaped = escaped.slice(0, seam.index) + seam[1]! + seam[1]! + seam[2]!;
      }
    }
    out += escaped;
  });
  return out;
}

// ------------------------------------------------------------------ positions

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units */
  column: number;
}

/** Line starts of source, for offset → position lookups. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionIn(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

export function offsetToPosition(source: string, offset: number): Position {
  return positionIn(lineStarts(source), offset);
}

export interface Range {
  start: number;
  end: number;
  startPosition: Position;
  endPosition: Position;
}

export interface PlaceholderInSource extends Range {
  name: string;
}

/** Every placeholder in source with its range (for highlighting). */
export function scanPlaceholders(source: string): PlaceholderInSource[] {
  const starts = lineStarts(source);
  return tokenize(source)
    .filter((t) => t.kind === 'variable')
    .map((t) => ({
      name: t.name,
      start: t.start,
      end: t.end,
      startPosition: positionIn(starts, t.start),
      endPosition: positionIn(starts, t.end),
    }));
}

export interface EscapeInSource extends Range {
  renders: string;
}

/** Every escape (`\{{`, `\\{{` …) in source with what it renders (for highlighting). */
export function scanEscapes(source: string): EscapeInSource[] {
  const starts = lineStarts(source);
  return tokenize(source)
    .filter((t) => t.kind === 'escape')
    .map((t) => ({
      renders: t.value,
      start: t.start,
      end: t.end,
      startPosition: positionIn(starts, t.start),
      endPosition: positionIn(starts, t.end),
    }));
}

export interface MalformedPlaceholder extends Range {
  text: string;
}

/**
 * `{{ … }}` on one line that is not a placeholder (e.g. `{{ user name }}`, `{{}}`, `{{1st}}`):
 * kept as literal text, but most likely a mistake. Escaped braces are not reported.
 */
export function findMalformedPlaceholders(source: string): MalformedPlaceholder[] {
  const starts = lineStarts(source);
  const found: MalformedPlaceholder[] = [];
  for (const t of tokenize(source)) {
    if (t.kind !== 'text') continue;
    const pattern = /\{\{([^{}\n]{0,80})\}\}/g;
    for (let m = pattern.exec(t.value); m; m = pattern.exec(t.value)) {
      const start = t.start + m.index;
      const end = start + m[0].length;
      found.push({ text: m[0], start, end, startPosition: positionIn(starts, start), endPosition: positionIn(starts, end) });
    }
  }
  return found;
}

// ------------------------------------------------------------------ variables of a template

export interface VariableUse extends PlaceholderInSource {
  field: TemplateField;
  /** a built-in filled by the assembler ({{input}}/{{output}}/{{reasoning}} in example formats) */
  builtin: boolean;
}

/** Where the assembler fills the built-ins; everywhere else every name is a user variable. */
export const EXAMPLE_FIELDS: readonly TemplateField[] = ['exampleFormat', 'chainOfThought.answerFormat'];

export function fieldSource(template: Template, field: TemplateField): string {
  switch (field) {
    case 'system':
      return template.system;
    case 'instruction':
      return template.instruction;
    case 'input':
      return template.input;
    case 'exampleFormat':
      return template.exampleFormat;
    case 'chainOfThought.trigger':
      return template.chainOfThought.trigger;
    case 'chainOfThought.answerFormat':
      return template.chainOfThought.answerFormat;
  }
}

/**
 * Every placeholder in the fields this template's mode and technique actually render (or in
 * every templated field with `all`), with positions, for the highlighter and the diagnostics.
 */
export function listVariableUses(template: Template, options: { all?: boolean } = {}): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const field of activeFields(template, options)) {
    for (const p of scanPlaceholders(fieldSource(template, field))) {
      uses.push({ ...p, field, builtin: EXAMPLE_FIELDS.includes(field) && isBuiltinVariable(p.name) });
    }
  }
  return uses;
}

/** The user variables the prompt needs, in order of first use (what the variables form shows). */
export function usedVariableNames(template: Template): string[] {
  return [...new Set(listVariableUses(template).filter((u) => !u.builtin).map((u) => u.name))];
}

/** Used but not declared in `variables` (they still work when given a value). */
export function undeclaredVariables(template: Template): string[] {
  const declared = new Set(template.variables.map((v) => v.name));
  return usedVariableNames(template).filter((name) => !declared.has(name));
}

/** Declared in `variables` but used nowhere (in any templated field). */
export function unusedDeclaredVariables(template: Template): string[] {
  const used = new Set(listVariableUses(template, { all: true }).map((u) => u.name));
  return template.variables.map((v) => v.name).filter((name) => !used.has(name));
}

export type VariableValues = Readonly<Record<string, string | undefined>>;

export interface ResolvedValues {
  /** a value for every used variable that has one (given, else its default) */
  values: Record<string, string>;
  /** used variables that took their declared default */
  defaultsApplied: string[];
  /** used variables with neither a value nor a default */
  missing: string[];
}

/** Values for the variables a template uses: given values first, then declared defaults. */
export function resolveValues(template: Template, given: VariableValues): ResolvedValues {
  const lookup = valueLookup(template, given);
  const values: Record<string, string> = {};
  const defaultsApplied: string[] = [];
  const missing: string[] = [];
  for (const name of usedVariableNames(template)) {
    const found = lookup(name);
    if (found === undefined) missing.push(name);
    else {
      values[name] = found.value;
      if (found.fromDefault) defaultsApplied.push(name);
    }
  }
  return { values, defaultsApplied, missing };
}

/** Given value (own property, not undefined), else the declared default, else undefined. */
export function valueLookup(
  template: Template,
  given: VariableValues,
): (name: string) => { value: string; fromDefault: boolean } | undefined {
  const defaults = new Map<string, string>();
  for (const v of template.variables) if (v.default !== undefined) defaults.set(v.name, v.default);
  return (name) => {
    const value = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
    if (value !== undefined) return { value, fromDefault: false };
    const fallback = defaults.get(name);
    return fallback === undefined ? undefined : { value: fallback, fromDefault: true };
  };
}
