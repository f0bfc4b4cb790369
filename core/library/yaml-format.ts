// YAML for template files: readable (multi-line strings as `|` blocks, no line folding, key order
// as given) and exact (every string reads back as the very same string, whatever it holds).
import YAML, { LineCounter, Scalar } from 'yaml';

/**
 * Can this string be written as a literal block scalar (`|`) and read back unchanged?
 * Only multi-line strings of printable text whose first non-empty line has some non-blank
 * character (YAML takes the block's indentation from it) and which do not end in a blank-only line
 * (YAML cannot tell its spaces from indentation). Anything else is written double-quoted, which is
 * always exact. Property-tested in test/library/yaml-format.test.ts.
 */
export function fitsBlockScalar(value: string): boolean {
  if (!value.includes('\n')) return false;
  // C0/C1 controls (\r included), YAML 1.1 line separators, BOM, lone surrogates.
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/u.test(value)) return false;
  const lines = value.split('\n');
  const first = lines.find((line) => line !== '');
  if (first === undefined || !/\S/.test(first)) return false;
  const last = lines[lines.length - 1] ?? '';
  if (last !== '' && !/\S/.test(last)) return false;
  return true;
}

/**
 * A one-line string that a YAML 1.1 reader (PyYAML, older tools) would not read as that string,
 * e.g. `yes`, `no`, `on`, `1_000`, `012`, `1:20`: quote it so the file means the same everywhere.
 * (YAML 1.2, which Shotglass reads, already gets these right; the `yaml` package quotes what 1.2
 * would coerce, like `1.0`, `true`, `null`.)
 */
function needsQuotesForYaml11(value: string): boolean {
  if (value.length > 64) return false;
  try {
    const doc = YAML.parseDocument(value, { version: '1.1', logLevel: 'silent' });
    return doc.errors.length > 0 || doc.warnings.length > 0 || doc.toJS() !== value;
  } catch {
    return true;
  }
}

const STRINGIFY: YAML.ToStringOptions = {
  indent: 2,
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: true,
};

/** Plain data (from a codec's toPlain, in its key order) → YAML text. */
export function toYaml(plain: unknown, commentBefore?: string): string {
  const doc = new YAML.Document(plain, { keepUndefined: false });
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (fitsBlockScalar(node.value)) node.type = Scalar.BLOCK_LITERAL;
      else if (node.value.includes('\n')) node.type = Scalar.QUOTE_DOUBLE;
      else if (needsQuotesForYaml11(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  if (commentBefore) doc.commentBefore = commentBefore;
  return doc.toString(STRINGIFY);
}

export type YamlParse = { ok: true; value: unknown } | { ok: false; error: string };

/** YAML text → plain data, or why it is not valid YAML (in words, with the line). */
export function parseYaml(text: string): YamlParse {
  let doc: YAML.Document.Parsed;
  const lineCounter = new LineCounter();
  try {
    doc = YAML.parseDocument(text, { version: '1.2', uniqueKeys: true, prettyErrors: false, logLevel: 'silent', lineCounter });
  } catch (error) {
    return { ok: false, error: `is not valid YAML: ${(error as Error).message}` };
  }
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    const message = first.message.split('\n')[0] ?? first.message;
    return { ok: false, error: `is not valid YAML${line ? ` (line ${line})` : ''}: ${message}` };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    return { ok: false, error: `is not valid YAML: ${(error as Error).message}` };
  }
}

