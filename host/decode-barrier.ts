// Lock-step for runs that share one node-llama-cpp context, so one llama_decode carries one token
// of each run and llama.cpp computes them in one forward pass.
//
// Why: after a batched decode each sequence samples its token in its own native worker; the first
// to finish asks for its next token before the others have theirs, and node-llama-cpp's dispatch
// loop decodes it alone, so K runs drift into K single-token decodes per step (a custom
// `batching.dispatchSchedule` cannot help: it is only consulted when that loop is idle). Holding
// each run's next step until every active run is ready fixes that. Releasing them in sequence-id
// order matters too: node-llama-cpp gives each sequence its own KV stream, and llama.cpp puts
// sequences in one forward pass only when their ids rise by one in batch order (bench/README.md).
//
//   barrier.join(); try { for (;;) { await barrier.step(sequenceId); await iterator.next(); ... } } finally { barrier.leave(); }
export class StepBarrier {
  private active = 0;
  private waiting: Array<{ rank: number; resolve: () => void }> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** @param maxWaitMs the longest a ready run waits for a slow one (one evaluating a long prompt must not stall the rest) */
  constructor(private readonly maxWaitMs = 20) {}

  /** A run starts evaluating on the context. */
  join(): void {
    this.active++;
  }

  /** A run ended (finished, stopped or failed): the others no longer wait for it. */
  leave(): void {
    this.active--;
    this.check();
  }

  /** Resolves when every active run is ready for its next step (or after maxWaitMs); `rank` is the run's sequence id. */
  step(rank: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ rank, resolve });
      this.timer ??= setTimeout(this.release, this.maxWaitMs);
      this.check();
    });
  }

  private check(): void {
    // setImmediate, not now: node-llama-cpp finishes its dispatch round in microtasks after the
    // last sampling resolves; released at once, the first run's token could join that round alone.
    if (this.waiting.length && this.waiting.length >= this.active) setImmediate(this.release);
  }

  private readonly release = (): void => {
    if (!this.waiting.length) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const waiting = this.waiting.sort((a, b) => a.rank - b.rank);
    this.waiting = [];
    for (const { resolve } of waiting) resolve();
  };
}
