// The line diff: a shortest edit script (checked against an LCS table) that rebuilds both sides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedDiff } from '../../../core/text/diff.js';

function lcsLength(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = table[i] as number[];
      const above = table[i - 1] as number[];
      row[j] = a[i - 1] === b[j - 1] ? (above[j - 1] as number) + 1 : Math.max(above[j] as number, row[j - 1] as number);
    }
  }
  return (table[a.length] as number[])[b.length] as number;
}

describe('line diff', () => {
  it('rebuilds both sides and is minimal (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '  x'), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const diff = diffLines(a, b);
        expect(diff.filter((l) => l.op !== 'add').map((l) => l.text)).toEqual(a);
        expect(diff.filter((l) => l.op !== 'remove').map((l) => l.text)).toEqual(b);
        expect(diff.filter((l) => l.op === 'equal').length).toBe(lcsLength(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('numbers lines on both sides and renders unified hunks', () => {
    const a = splitLines('one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n');
    const b = splitLines('one\n2\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n');
    const diff = diffLines(a, b);
    expect(diff[1]).toEqual({ op: 'remove', text: 'two', oldLine: 2 });
    expect(diff[2]).toEqual({ op: 'add', text: '2', newLine: 2 });
    expect(unifiedDiff(diff, { oldLabel: 'version 1', newLabel: 'version 2' })).toBe(
      [
        '--- version 1',
        '+++ version 2',
        '@@ -1,5 +1,5 @@',
        ' one',
        '-two',
        '+2',
        ' three',
        ' four',
        ' five',
        '@@ -8,3 +8,4 @@',
        ' eight',
        ' nine',
        ' ten',
        '+eleven',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff(diffLines(a, a))).toBe('');
  });

  it('handles large, entirely different texts', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 5000 }, (_, i) => `b${i}`);
    const diff = diffLines(a, b);
    expect(diff.filter((l) => l.op === 'remove')).toHaveLength(5000);
    expect(diff.filter((l) => l.op === 'add')).toHaveLength(5000);
  });
});
