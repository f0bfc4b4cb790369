// The variables of a template: where each placeholder is used, field by field. The placeholder
// syntax itself (the lexer, rendering, escaping) is placeholders.ts, re-exported here.
import { scanPlaceholders, type PlaceholderInSource, isBuiltinVariable } from './placeholders.js';
import type { Template } from './template.js';
import { activeFields, type TemplateField } from './technique.js';

export * from './placeholders.js';

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
