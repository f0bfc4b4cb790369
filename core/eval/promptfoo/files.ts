// File references in promptfoo configs (`file://path`), read through an injected reader so this
// code stays pure; service/eval/file-reader.ts gives the Node reader (paths relative to the config).
import { datasetFormatOf, parseDataset } from '../dataset/formats.js';
import { formatIssue, type DatasetParse } from '../dataset/schema.js';

/** Reads a file named relative to the config; throws an Error whose message says why (never the content). */
export type FileReader = (path: string) => Promise<string>;

/** `file://a.csv` → `a.csv`; a string without the prefix → null. */
export function fileRef(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('file://') ? value.slice('file://'.length) : null;
}

const extension = (path: string) => /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';

/** Parses a dataset text by its file name's extension (csv, tsv, jsonl, yaml, yml, json). */
export function parseDatasetText(path: string, text: string): DatasetParse {
  const format = datasetFormatOf(path);
  if (format) return parseDataset(text, format);
  return { cases: [], issues: [{ row: 1, message: 'is not a dataset file (use .csv, .tsv, .jsonl, .yaml or .json)' }], variables: [] };
}

/** Dataset issues as lines naming the file: "tests.csv: row 3, column __expected: ...". */
export function describeIssues(path: string, parse: DatasetParse): string[] {
  const unit = extension(path) === 'jsonl' ? 'line' : ['yaml', 'yml', 'json'].includes(extension(path)) ? 'item' : 'row';
  return parse.issues.map((i) => `${path}: ${formatIssue(i, unit)}`);
}

/** Reads a referenced file, turning a reader failure into one readable line. */
export async function readRef(reader: FileReader, path: string): Promise<{ text: string } | { error: string }> {
  try {
    return { text: await reader(path) };
  } catch (error) {
    return { error: `cannot read ${path}${error instanceof Error && error.message ? ` (${error.message})` : ''}` };
  }
}
