// One entry point for dataset files by format, so the UI's table editor, the CLI and promptfoo
// imports read and save every format the same way.
import { parseCsv, parsePastedTable, serializeCsv, type Serialized } from './csv.js';
import { parseJsonl, parseYamlDataset, serializeJsonl, serializeYamlDataset } from './jsonl.js';
import type { DatasetParse, TestCase } from './schema.js';

export const DATASET_FORMATS = ['csv', 'tsv', 'jsonl', 'yaml'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** The format a file name implies (.json is read as YAML, which JSON is a subset of), or null. */
export function datasetFormatOf(path: string): DatasetFormat | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv' || ext === 'jsonl') return ext;
  if (ext === 'yaml' || ext === 'yml' || ext === 'json') return 'yaml';
  return null;
}

export function parseDataset(text: string, format: DatasetFormat): DatasetParse {
  switch (format) {
    case 'csv':
      return parseCsv(text, ',');
    case 'tsv':
      return parsePastedTable(text);
    case 'jsonl':
      return parseJsonl(text);
    case 'yaml':
      return parseYamlDataset(text);
  }
}

/** Text to save; `lost` lists what the format cannot hold (only CSV/TSV can lose anything). */
export function serializeDataset(cases: readonly TestCase[], format: DatasetFormat): Serialized {
  switch (format) {
    case 'csv':
      return serializeCsv(cases, ',');
    case 'tsv':
      return serializeCsv(cases, '\t');
    case 'jsonl':
      return { text: serializeJsonl(cases), lost: [] };
    case 'yaml':
      return { text: serializeYamlDataset(cases), lost: [] };
  }
}
