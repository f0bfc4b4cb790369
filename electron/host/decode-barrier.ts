// Makes parallel runs on one context share their decodes. After a batched decode each sequence
// samples its token in its own worker; with node-llama-cpp's default schedule the first to finish
// dispatches its next decode alone, and from then on K runs cost K decodes per step. The barrier
// holds a queued decode until every active run has asked for its next token (or a few ms pass, so
// a run busy elsewhere cannot stall the rest). Pass `schedule` as the context's
// `batching.dispatchSchedule`.
export class DecodeBarrier {
  private active = 0;
  private arrived = 0;
  private held: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly maxWaitMs = 4) {}

  readonly schedule = (dispatch: () => void): void => {
    this.held = dispatch;
    if (this.arrived >= this.active) setImmediate(this.release);
    else this.timer ??= setTimeout(this.release, this.maxWaitMs);
  };

  /** A run starts evaluating on the context. */
  join(): void {
    this.active++;
  }

  /** A run stopped evaluating (finished, stopped or failed). */
  leave(): void {
    this.active--;
    this.check();
  }

  /** A run is about to ask for its next token (right before the iterator's next()). */
  arrive(): void {
    this.arrived++;
    this.check();
  }

  private check(): void {
    // setImmediate: a run's tokens reach node-llama-cpp's queue a few microtasks after next().
    if (this.held && this.arrived >= this.active) setImmediate(this.release);
  }

  private readonly release = (): void => {
    if (!this.held) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const dispatch = this.held;
    this.held = undefined;
    this.arrived = 0;
    dispatch();
  };
}
