// A compact line diff (Myers' O(ND) algorithm, shortest edit script) and a unified-diff rendering.
// No diff package is installed, and this is all the library needs: diffs of two versions' YAML.

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
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = [];
  for (let i = 0; i < start; i++) ops.push('equal');
  ops.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  for (let i = endA; i < a.length; i++) ops.push('equal');

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

/** Myers' greedy forward search, keeping each round's frontier to walk the path back. */
function middle(a: string[], b: string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return Array<DiffOp>(m).fill('add');
  if (m === 0) return Array<DiffOp>(n).fill('remove');
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) {
        x = v[offset + k + 1] as number; // down: an insertion
      } else {
        x = (v[offset + k - 1] as number) + 1; // right: a deletion
      }
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v.slice(offset - d - 1, offset + d + 2));
  }
  if (found < 0) {
    return [...Array<DiffOp>(n).fill('remove'), ...Array<DiffOp>(m).fill('add')];
  }

  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d - 1] as Int32Array; // covers k in [-(d-1)-1, (d-1)+1]
    const at = (k: number) => prev[k + d] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('equal');
      x--;
      y--;
    }
    ops.push(down ? 'add' : 'remove');
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push('equal');
    x--;
    y--;
  }
  ops.reverse();
  return normalizeChanges(ops);
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
