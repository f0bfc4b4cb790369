// Coalesces streamed run deltas so the store (and React) update at most once per frame, however
// fast tokens arrive. Deltas are kept as a list of chunks and joined once per flush, so each token
// costs an array push, never a copy of the text streamed so far.

export interface FrameScheduler {
  request(callback: () => void): () => void;
}

/** Fallback frame when requestAnimationFrame is missing (tests, workers). */
const FALLBACK_FRAME_MS = 16;
/**
 * Hidden windows (minimised, background tab, an Electron window created with show: false) pause
 * requestAnimationFrame; this timer keeps a stream visible-in-the-store there too. While the window
 * is visible the frame always wins, so this never adds flushes.
 */
const HIDDEN_FLUSH_MS = 100;

export function defaultFrameScheduler(): FrameScheduler {
  const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : undefined;
  if (!raf) {
    return {
      request(callback) {
        const timer = setTimeout(callback, FALLBACK_FRAME_MS);
        return () => clearTimeout(timer);
      },
    };
  }
  return {
    request(callback) {
      let done = false;
      const fire = () => {
        if (done) return;
        done = true;
        cancelAnimationFrame(frame);
        clearTimeout(timer);
        callback();
      };
      const frame = raf(fire);
      const timer = setTimeout(fire, HIDDEN_FLUSH_MS);
      return () => {
        done = true;
        cancelAnimationFrame(frame);
        clearTimeout(timer);
      };
    },
  };
}

export interface DeltaBatcher {
  /** Queue a delta; schedules one flush for the next frame if none is pending. */
  push(text: string, tokens: number): void;
  /** Deliver whatever is queued now (e.g. before applying run.end). */
  flush(): void;
  /** Drop whatever is queued (a new run started). */
  clear(): void;
  readonly pending: boolean;
}

export function createDeltaBatcher(
  onFlush: (text: string, tokens: number) => void,
  scheduler: FrameScheduler = defaultFrameScheduler(),
): DeltaBatcher {
  let chunks: string[] = [];
  let tokens = 0;
  let cancelScheduled: (() => void) | null = null;

  const take = (): [string, number] => {
    const text = chunks.length === 1 ? (chunks[0] ?? '') : chunks.join('');
    const count = tokens;
    chunks = [];
    tokens = 0;
    return [text, count];
  };

  const unschedule = () => {
    cancelScheduled?.();
    cancelScheduled = null;
  };

  const flush = () => {
    unschedule();
    if (chunks.length === 0 && tokens === 0) return;
    const [text, count] = take();
    onFlush(text, count);
  };

  return {
    push(text, count) {
      if (text) chunks.push(text);
      tokens += count;
      if (!cancelScheduled) {
        cancelScheduled = scheduler.request(() => {
          cancelScheduled = null;
          flush();
        });
      }
    },
    flush,
    clear() {
      unschedule();
      take();
    },
    get pending() {
      return chunks.length > 0 || tokens > 0;
    },
  };
}
