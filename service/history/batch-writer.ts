// Collects items and writes them together a moment after the first one arrives: the runs of a
// comparison end within milliseconds of each other, and a synchronous SQLite write per run on the
// backend's thread (Electron's main process) would hold up the other runs' streaming events.
export class BatchWriter<T, R> {
  private pending: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** @param write writes every item in one go (one transaction), returning one result per item */
  constructor(
    private readonly write: (items: T[]) => R[],
    private readonly delayMs = 25,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    });
  }

  /** Writes what is pending now (also on shutdown, so nothing queued is lost). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    try {
      const results = this.write(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => entry.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One bad item must not cost the others theirs: write each on its own.
      for (const entry of batch) {
        try {
          entry.resolve(this.write([entry.item])[0]!);
        } catch (itemError) {
          entry.reject(itemError);
        }
      }
    }
  }
}
