// React keys for items that have no ids (a template's examples): an item keeps its key while it
// keeps its identity (moved, or others deleted) or its index (edited in place, same length).
import { useRef } from 'react';

interface Memory<T> {
  items: readonly T[];
  keys: number[];
  next: number;
}

export function nextKeys<T>(memory: Memory<T>, items: readonly T[]): Memory<T> {
  if (memory.items === items) return memory;
  const byItem = new Map<T, number>();
  memory.items.forEach((item, i) => {
    if (!byItem.has(item)) byItem.set(item, memory.keys[i]!);
  });
  const used = new Set<number>();
  const keys = items.map((item) => {
    const key = byItem.get(item);
    if (key === undefined || used.has(key)) return -1;
    used.add(key);
    return key;
  });
  let next = memory.next;
  keys.forEach((key, i) => {
    if (key !== -1) return;
    const previous = items.length === memory.items.length ? memory.keys[i] : undefined;
    if (previous !== undefined && !used.has(previous)) {
      keys[i] = previous;
      used.add(previous);
    } else {
      keys[i] = next++;
    }
  });
  return { items, keys, next };
}

export function useStableKeys<T>(items: readonly T[]): number[] {
  const memory = useRef<Memory<T>>({ items: [], keys: [], next: 0 });
  memory.current = nextKeys(memory.current, items);
  return memory.current.keys;
}
