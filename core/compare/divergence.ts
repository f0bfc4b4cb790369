// Where two outputs part ways, and how the words and tokens differ. Pure: used by the UI, the CLI
// and exports alike.
import type { TokenStep } from '../api/contract.js';
import { diffLines } from '../text/diff.js';
import { probabilityAt } from './probability.js';

export interface Divergence {
  /** index of the first token that differs (a shorter output that is a prefix of the other diverges at its end) */
  index: number;
  /** character offsets of that token in each text */
  offsetA: number;
  offsetB: number;
  a?: TokenStep;
  b?: TokenStep;
  /** how likely each variant's token was in the other's distribution at that point, when the other recorded it (as the tooltip shows it) */
  pAinB?: number;
  pBinA?: number;
}

/** The first point where two token streams differ; null when they are identical. */
export function firstDivergence(a: readonly TokenStep[], b: readonly TokenStep[]): Divergence | null {
  let i = 0;
  let offsetA = 0;
  let offsetB = 0;
  while (i < a.length && i < b.length && a[i]!.id === b[i]!.id) {
    offsetA += a[i]!.text.length;
    offsetB += b[i]!.text.length;
    i++;
  }
  if (i === a.length && i === b.length) return null;
  const stepA = a[i];
  const stepB = b[i];
  const divergence: Divergence = { index: i, offsetA, offsetB, ...(stepA ? { a: stepA } : {}), ...(stepB ? { b: stepB } : {}) };
  // The same numbers the token tooltip shows (one computation: probabilityAt).
  const inB = stepA && stepB ? probabilityAt(stepB, stepA.id) : undefined;
  const inA = stepA && stepB ? probabilityAt(stepA, stepB.id) : undefined;
  if (inB !== undefined) divergence.pAinB = inB;
  if (inA !== undefined) divergence.pBinA = inA;
  return divergence;
}

export type Segment = { op: 'equal' | 'add' | 'remove'; text: string };

/** Words and the white space between them, so a diff can be joined back into either text. */
export function splitWords(text: string): string[] {
  return text.match(/\s+|[^\s\w]|\w+/gu) ?? [];
}

/** A word-level diff of two texts: 'remove' is only in A, 'add' only in B. */
export function wordDiff(a: string, b: string): Segment[] {
  return merge(diffLines(splitWords(a), splitWords(b)).map((line) => ({ op: line.op, text: line.text })));
}

/** A token-level diff of two outputs (by token id; the text shown is each token's text). */
export function tokenDiff(a: readonly TokenStep[], b: readonly TokenStep[]): Segment[] {
  const keyA = a.map((s) => String(s.id));
  const keyB = b.map((s) => String(s.id));
  const lines = diffLines(keyA, keyB);
  let ia = 0;
  let ib = 0;
  const out: Segment[] = [];
  for (const line of lines) {
    if (line.op === 'equal') {
      out.push({ op: 'equal', text: a[ia++]!.text });
      ib++;
    } else if (line.op === 'remove') out.push({ op: 'remove', text: a[ia++]!.text });
    else out.push({ op: 'add', text: b[ib++]!.text });
  }
  return merge(out);
}

function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.op === s.op) last.text += s.text;
    else if (s.text) out.push({ ...s });
  }
  return out;
}
