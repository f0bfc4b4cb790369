// A dataset: test cases, each = variable values + expected checks + an optional description.
// The shape is promptfoo's test case ({ vars, assert, description, threshold }) so its files load
// as they are; unknown fields (options, metadata, ...) are kept so nothing is lost on save.
import { z } from 'zod';
import { CheckSchema } from '../checks/schema.js';

/** Variable values are text (a template fills text in); numbers and booleans are read as their text. */
const VarValueSchema = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string({ error: 'must be text (a number or true/false is read as text)' }),
);

export const TestCaseSchema = z.looseObject({
  description: z.string({ error: 'must be text' }).max(10_000).optional(),
  vars: z.record(z.string(), VarValueSchema, { error: 'must be a mapping of variable names to values' }).default({}),
  assert: z.array(CheckSchema, { error: 'must be a list of checks' }).default([]),
  /** the case passes when its weighted score reaches this (0..1); without it every check must pass */
  threshold: z.number({ error: 'must be a number' }).min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
});
export type TestCase = z.output<typeof TestCaseSchema>;

export interface DatasetIssue {
  /** spreadsheet row (the header is row 1) for CSV/TSV, line for JSONL, item (from 1) for YAML */
  row: number;
  /** the column or field at fault, when there is one */
  column?: string;
  message: string;
  /** what the user wrote in the rejected row, kept so the UI can show it for fixing */
  raw?: Record<string, string> | string;
}

export interface DatasetParse {
  cases: TestCase[];
  issues: DatasetIssue[];
  /** the variables, in header (or first-seen) order */
  variables: string[];
}

/** "row 3, column __expected: regex ..." */
export function formatIssue(issue: DatasetIssue, unit = 'row'): string {
  return `${unit} ${issue.row}${issue.column !== undefined ? `, column ${issue.column}` : ''}: ${issue.message}`;
}

/** The first zod issue as "field.path message" for a DatasetIssue. */
export function zodProblem(error: z.ZodError): { column?: string; message: string } {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? { column: path, message: issue.message } : { message: issue.message };
}

/** Variables in first-seen order across cases. */
export function variablesOf(cases: readonly TestCase[]): string[] {
  const seen = new Set<string>();
  for (const c of cases) for (const k of Object.keys(c.vars)) seen.add(k);
  return [...seen];
}
