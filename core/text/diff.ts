// Line diffs (jsdiff's Myers diff: the shortest edit script) with line numbers on both sides, and
// the unified-diff rendering the library shows between two versions of a template. Word and token
// diffs of outputs (core/compare) use the same function over words and token ids.
import { diffArrays } from 'diff';

export type DiffOp = 'equal' | 'remove' | 'add';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line in the old text (equal and remove lines) */
  oldLine?: number;
  /** 1-based line in the new text (equal and add lines) */
  newLine?: number;
}

/** Past this many differing lines the middle of the diff is given as remove-all, add-all. */
const MAX_EDIT_DISTANCE = 4000;

/** Split text into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The lines of `a` and `b` as equal / remove / add, in order (removes before adds in a change). */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  // jsdiff's Myers diff gives the shortest edit script; past MAX_EDIT_DISTANCE it gives up
  // (undefined) and the two sides are given whole, which is what a reader makes of them anyway.
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDIT_DISTANCE });
  const ops: DiffOp[] = changes
    ? normalizeChanges(changes.flatMap((c) => Array<DiffOp>(c.count ?? c.value.length).fill(c.added ? 'add' : c.removed ? 'remove' : 'equal')))
    : [...Array<DiffOp>(a.length).fill('remove'), ...Array<DiffOp>(b.length).fill('add')];
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    if (op === 'equal') out.push({ op, text: a[i] as string, oldLine: ++i, newLine: ++j });
    else if (op === 'remove') out.push({ op, text: a[i] as string, oldLine: ++i });
    else out.push({ op, text: b[j] as string, newLine: ++j });
  }
  return out;
}

/** Within each run of changes, put every remove before the adds (how people read a change). */
function normalizeChanges(ops: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  let removes = 0;
  let adds = 0;
  const flush = () => {
    for (; removes > 0; removes--) out.push('remove');
    for (; adds > 0; adds--) out.push('add');
  };
  for (const op of ops) {
    if (op === 'remove') removes++;
    else if (op === 'add') adds++;
    else {
      flush();
      out.push(op);
    }
  }
  flush();
  return out;
}

/** A unified diff (`@@ -a,b +c,d @@` hunks with `context` lines around each change). */
export function unifiedDiff(
  lines: DiffLine[],
  options: { oldLabel?: string; newLabel?: string; context?: number } = {},
): string {
  const context = options.context ?? 3;
  const changed = lines.map((line, index) => (line.op === 'equal' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  const out: string[] = [`--- ${options.oldLabel ?? 'a'}`, `+++ ${options.newLabel ?? 'b'}`];
  let index = 0;
  while (index < changed.length) {
    const from = Math.max(0, (changed[index] as number) - context);
    let to = Math.min(lines.length, (changed[index] as number) + context + 1);
    index++;
    while (index < changed.length && (changed[index] as number) - context <= to) {
      to = Math.min(lines.length, (changed[index] as number) + context + 1);
      index++;
    }
    const hunk = lines.slice(from, to);
    const oldStart = firstLine(lines, from, 'oldLine');
    const newStart = firstLine(lines, from, 'newLine');
    const oldCount = hunk.filter((line) => line.op !== 'add').length;
    const newCount = hunk.filter((line) => line.op !== 'remove').length;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const line of hunk) out.push((line.op === 'equal' ? ' ' : line.op === 'remove' ? '-' : '+') + line.text);
  }
  return out.join('\n') + '\n';
}

/** The 1-based line a hunk starts at in one side (or the line before it, for an empty side). */
function firstLine(lines: DiffLine[], from: number, side: 'oldLine' | 'newLine'): number {
  for (let i = from; i < lines.length; i++) {
    const at = lines[i]?.[side];
    if (at !== undefined) return at;
  }
  for (let i = from - 1; i >= 0; i--) {
    const at = lines[i]?.[side];
    if (at !== undefined) return at + 1;
  }
  return 1;
}

function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}
