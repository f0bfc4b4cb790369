// Datasets as JSONL (one promptfoo test case per line) and YAML (a list of them, or { tests: [...] }).
import { parseYaml, toYaml } from '../../library/yaml-format.js';
import { TestCaseSchema, variablesOf, zodProblem, type DatasetIssue, type DatasetParse, type TestCase } from './schema.js';
import { checkProblem } from './expected.js';

/** Validates one case; a problem names the field (`assert.1.value`). */
function readCase(value: unknown): { testCase: TestCase } | { column?: string; message: string } {
  const parsed = TestCaseSchema.safeParse(value);
  if (!parsed.success) return zodProblem(parsed.error);
  for (const [i, check] of parsed.data.assert.entries()) {
    const problem = checkProblem(check);
    if (problem) return { column: `assert.${i}`, message: problem };
  }
  return { testCase: parsed.data };
}

export function parseJsonl(text: string): DatasetParse {
  const cases: TestCase[] = [];
  const issues: DatasetIssue[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        issues.push({ row: i + 1, message: 'is not valid JSON', raw: line });
        return;
      }
      const r = readCase(value);
      if ('testCase' in r) cases.push(r.testCase);
      else issues.push({ row: i + 1, ...(r.column ? { column: r.column } : {}), message: r.message, raw: line });
    });
  return { cases, issues, variables: variablesOf(cases) };
}

export function parseYamlDataset(text: string): DatasetParse {
  const doc = parseYaml(text.replace(/^\uFEFF/, ''));
  if (!doc.ok) return { cases: [], issues: [{ row: 1, message: doc.error }], variables: [] };
  const list = Array.isArray(doc.value) ? doc.value : doc.value && typeof doc.value === 'object' && Array.isArray((doc.value as { tests?: unknown }).tests) ? (doc.value as { tests: unknown[] }).tests : null;
  if (!list) return { cases: [], issues: [{ row: 1, message: 'must be a list of test cases (or a mapping with tests: [...])' }], variables: [] };
  const cases: TestCase[] = [];
  const issues: DatasetIssue[] = [];
  list.forEach((item, i) => {
    const r = readCase(item);
    if ('testCase' in r) cases.push(r.testCase);
    else issues.push({ row: i + 1, ...(r.column ? { column: r.column } : {}), message: r.message, raw: JSON.stringify(item) });
  });
  return { cases, issues, variables: variablesOf(cases) };
}

export function serializeJsonl(cases: readonly TestCase[]): string {
  return cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length ? '\n' : '');
}

export function serializeYamlDataset(cases: readonly TestCase[]): string {
  return toYaml(cases);
}
