// Finished runs are written to the history in batches (electron/backend/batch-writer.ts).
import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../../../service/history/batch-writer.js';

describe('BatchWriter', () => {
  it('writes the items that arrive within the delay in one call, and answers each with its own result', async () => {
    const calls: number[][] = [];
    const writer = new BatchWriter((items: number[]) => (calls.push(items), items.map((n) => `id-${n}`)), 20);
    const results = Promise.all([writer.add(1), writer.add(2), writer.add(3)]);
    expect(calls).toEqual([]); // nothing written synchronously
    expect(await results).toEqual(['id-1', 'id-2', 'id-3']);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(await writer.add(4)).toBe('id-4');
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('a failed batch is retried item by item: only the bad item fails, and the next batch is written again', async () => {
    let diskFull = true;
    const writer = new BatchWriter((items: string[]) => {
      if (items.includes('bad')) throw new Error('invalid run');
      if (diskFull) throw new Error('disk full');
      return items;
    }, 5);
    const settle = (p: Promise<string>) => p.then((v) => v, (e: Error) => e.message);
    expect(await Promise.all([writer.add('a'), writer.add('bad'), writer.add('b')].map(settle))).toEqual(['disk full', 'invalid run', 'disk full']);
    diskFull = false;
    expect(await Promise.all([writer.add('c'), writer.add('bad'), writer.add('d')].map(settle))).toEqual(['c', 'invalid run', 'd']);
  });

  it('flush writes what is pending at once (shutdown loses nothing)', async () => {
    const written: string[] = [];
    const writer = new BatchWriter((items: string[]) => (written.push(...items), items), 60_000);
    const pending = writer.add('last');
    writer.flush();
    expect(written).toEqual(['last']);
    expect(await pending).toBe('last');
  });
});
