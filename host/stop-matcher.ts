// Exact stop strings over streamed text: the finished text ends just before the first stop
// string, and no text that might turn out to be the start of one is streamed before it is decided.

export interface StopScan {
  /** text that is safe to stream now */
  emit: string;
  /** set when a stop string was found: the text ends before it */
  stopped?: string;
}

export class StopMatcher {
  private pending = '';
  constructor(private readonly stops: readonly string[]) {}

  push(chunk: string): StopScan {
    const text = this.pending + chunk;
    let best: { at: number; stop: string } | undefined;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (!best || at < best.at)) best = { at, stop };
    }
    if (best) {
      this.pending = '';
      return { emit: text.slice(0, best.at), stopped: best.stop };
    }
    // Hold back the longest tail that is a proper prefix of some stop string.
    let hold = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > hold; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          hold = n;
          break;
        }
      }
    }
    this.pending = text.slice(text.length - hold);
    return { emit: text.slice(0, text.length - hold) };
  }

  /** The end of generation: whatever was held back is text after all. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}
