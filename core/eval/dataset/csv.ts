// Datasets as CSV (and TSV, which is what copying cells from a spreadsheet puts on the clipboard).
//
//   review,__expected,__expected2,__description
//   "Great, loved it",Positive,not-contains:Negative,commas in quotes
//
// Header row = variable names; `__expected`, `__expected1`..`__expectedN` hold checks in
// promptfoo's one-cell syntax (expected.ts); `__description` and `__threshold` as in promptfoo.
// Parsing is papaparse's (quoted commas, quoted newlines, doubled quotes, CRLF); we add the row
// bookkeeping: rows are counted as a spreadsheet shows them (header = row 1, a quoted multi-line
// cell is still one row), a bad row is reported by row and column and kept aside, the rest loads.
import Papa from 'papaparse';
import { checkProblem, formatExpected, parseExpected } from './expected.js';
import { variablesOf, type DatasetIssue, type DatasetParse, type TestCase } from './schema.js';

const EXPECTED = /^__expected\d*$/;
const RESERVED = new Set(['__description', '__threshold']);

export function parseCsv(text: string, delimiter: ',' | '\t' | ';' = ','): DatasetParse {
  // a BOM (Excel's "CSV UTF-8") would otherwise become part of the first header name
  const body = text.replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(body, { delimiter, header: false, skipEmptyLines: false });
  const rows = parsed.data;
  const issues: DatasetIssue[] = [];
  // papaparse reports a quote left open at the end; the row it is in is still returned
  for (const e of parsed.errors) if (e.type === 'Quotes') issues.push({ row: (e.row ?? 0) + 1, message: 'a quoted cell is not closed' });
  const headerRow = rows[0];
  if (!headerRow || headerRow.every((h) => h.trim() === '')) return { cases: [], issues: [...issues, { row: 1, message: 'the header row is missing' }], variables: [] };
  // trailing empty header cells (a spreadsheet selection wider than the table) are not columns
  let width = headerRow.length;
  while (width > 0 && headerRow[width - 1]!.trim() === '') width--;
  const header = headerRow.slice(0, width).map((h) => h.trim());
  const headerProblems: DatasetIssue[] = [];
  header.forEach((h, i) => {
    if (h === '') headerProblems.push({ row: 1, column: `#${i + 1}`, message: 'has no name' });
    else if (header.indexOf(h) !== i) headerProblems.push({ row: 1, column: h, message: 'appears twice' });
  });
  if (headerProblems.length) return { cases: [], issues: [...issues, ...headerProblems], variables: [] };
  const variables = header.filter((h) => !h.startsWith('__'));
  for (const h of header) if (h.startsWith('__') && !EXPECTED.test(h) && !RESERVED.has(h)) issues.push({ row: 1, column: h, message: 'is not a known column; its values are kept as case metadata' });

  const cases: TestCase[] = [];
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === '')) return; // blank line
    const raw: Record<string, string> = {};
    header.forEach((h, j) => (raw[h] = cells[j] ?? ''));
    const extra = cells.slice(width).filter((c) => c.trim() !== '');
    if (extra.length) {
      issues.push({ row, column: `#${width + 1}`, message: `has ${extra.length} more cell${extra.length === 1 ? '' : 's'} than the header has columns`, raw });
      return;
    }
    const built = rowToCase(raw);
    if ('error' in built) issues.push({ row, column: built.column, message: built.error, raw });
    else cases.push(built.testCase);
  });
  return { cases, issues, variables };
}

/** Spreadsheet paste: tab-separated, with the spreadsheet's quoting for cells holding tabs or newlines. */
export function parsePastedTable(text: string): DatasetParse {
  return parseCsv(text.replace(/\r?\n$/, ''), '\t');
}

function rowToCase(raw: Record<string, string>): { testCase: TestCase } | { error: string; column: string } {
  const testCase: TestCase = { vars: {}, assert: [] };
  const metadata: Record<string, string> = {};
  for (const [column, cell] of Object.entries(raw)) {
    if (EXPECTED.test(column)) {
      if (cell.trim() === '') continue; // an empty expected cell means no check
      const check = parseExpected(cell);
      const problem = checkProblem(check);
      if (problem) return { error: problem, column };
      testCase.assert.push(check);
    } else if (column === '__description') {
      if (cell !== '') testCase.description = cell;
    } else if (column === '__threshold') {
      if (cell.trim() === '') continue;
      const t = Number(cell);
      if (!Number.isFinite(t) || t < 0 || t > 1) return { error: 'must be a number from 0 to 1', column };
      testCase.threshold = t;
    } else if (column.startsWith('__')) {
      if (cell !== '') metadata[column] = cell;
    } else testCase.vars[column] = cell; // an empty cell is an empty value, as in promptfoo
  }
  if (Object.keys(metadata).length) testCase.metadata = metadata;
  return { testCase };
}

export interface Serialized {
  text: string;
  /** what this format could not hold ("case 3: check 2 (weight) needs YAML or JSONL") */
  lost: string[];
}

/** Writes cases as CSV (or TSV for the clipboard); checks the one-cell syntax cannot hold are listed in `lost`. */
export function serializeCsv(cases: readonly TestCase[], delimiter: ',' | '\t' = ','): Serialized {
  const lost: string[] = [];
  const variables = variablesOf(cases);
  const maxChecks = Math.max(0, ...cases.map((c) => c.assert.length));
  const expectedCols = maxChecks <= 1 ? ['__expected'].slice(0, maxChecks) : Array.from({ length: maxChecks }, (_, i) => `__expected${i + 1}`);
  const metaCols = [...new Set(cases.flatMap((c) => Object.keys((c.metadata as Record<string, string> | undefined) ?? {})))].filter((k) => k.startsWith('__'));
  const hasDescription = cases.some((c) => c.description !== undefined);
  const hasThreshold = cases.some((c) => c.threshold !== undefined);
  const header = [...variables, ...expectedCols, ...(hasDescription ? ['__description'] : []), ...(hasThreshold ? ['__threshold'] : []), ...metaCols];
  const rows = cases.map((c, i) => {
    const expected = c.assert.map((check, j) => {
      const cell = formatExpected(check);
      if (cell === null) lost.push(`case ${i + 1}: check ${j + 1} (${check.type}) has settings a CSV cell cannot hold; save as YAML or JSONL to keep them`);
      return cell ?? '';
    });
    const meta = (c.metadata as Record<string, string> | undefined) ?? {};
    return [
      ...variables.map((v) => c.vars[v] ?? ''),
      ...expectedCols.map((_, j) => expected[j] ?? ''),
      ...(hasDescription ? [c.description ?? ''] : []),
      ...(hasThreshold ? [c.threshold === undefined ? '' : String(c.threshold)] : []),
      ...metaCols.map((k) => meta[k] ?? ''),
    ];
  });
  for (const [i, c] of cases.entries()) {
    const other = Object.keys(c).filter((k) => !['vars', 'assert', 'description', 'threshold', 'metadata'].includes(k));
    if (other.length) lost.push(`case ${i + 1}: ${other.join(', ')} cannot be held in CSV`);
  }
  // quote every cell that needs it (papaparse's default) and write CRLF, as RFC 4180 asks
  return { text: Papa.unparse({ fields: header, data: rows }, { delimiter, newline: '\r\n' }) + '\r\n', lost };
}
