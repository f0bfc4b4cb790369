// Lock-step for runs that share one node-llama-cpp context: every active run asks for its next
// token in the same tick, so one llama_decode carries one token of each run.
//
// Why it is needed: after a batched decode each sequence samples its token in its own native
// worker; the first to finish gets its token, asks for the next one and is queued before the others
// have finished sampling, and node-llama-cpp's dispatch loop (which runs whatever is queued as soon
// as the previous batch's sampling is done) decodes it alone. From then on the runs alternate, one
// token per decode, and K parallel runs cost K decodes per step. A custom
// `batching.dispatchSchedule` cannot fix this: it is only consulted when the dispatch loop is idle,
// not for the loop's own next round. Holding each run's `iterator.next()` until all runs have their
// token does.
//
// Usage (what the engine would do; one barrier per context):
//   barrier.join();
//   try { for (;;) { await barrier.step(); const { value, done } = await iterator.next(); ... } }
//   finally { barrier.leave(); }
export class StepBarrier {
  private active = 0;
  private waiting: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** @param maxWaitMs the longest a run waits for the slowest one (a run busy elsewhere must not stall the rest) */
  constructor(private readonly maxWaitMs = 50) {}

  /** A run starts using the context. */
  join(): void {
    this.active++;
  }

  /** A run ended (finished, stopped or failed): the others no longer wait for it. */
  leave(): void {
    this.active--;
    this.check();
  }

  /** Resolves when every active run is ready for its next token (or after maxWaitMs). */
  step(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.timer ??= setTimeout(this.release, this.maxWaitMs);
      this.check();
    });
  }

  private check(): void {
    // setImmediate, not now: node-llama-cpp's dispatch loop finishes its round in microtasks after
    // the last sampling resolves; released now, the first run's decode could still join that round alone.
    if (this.waiting.length && this.waiting.length >= this.active) setImmediate(this.release);
  }

  private readonly release = (): void => {
    if (!this.waiting.length) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  };
}
