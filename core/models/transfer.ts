// Download bookkeeping that needs no I/O: a speed that keeps moving (a sliding window, so a stall
// shows as the speed falling to zero instead of a frozen last value), time left, and the backoff
// before a retry (the server's Retry-After when it gives one).

export class SpeedMeter {
  private samples: Array<{ t: number; bytes: number }> = [];
  constructor(private readonly windowMs = 3000) {}

  /** Record the running byte total at time t (ms). */
  add(t: number, totalBytes: number): void {
    this.samples.push({ t, bytes: totalBytes });
    // Keep one sample at or before the window's start: it is the baseline.
    while (this.samples.length > 2 && this.samples[1]!.t <= t - this.windowMs) this.samples.shift();
  }

  /**
   * Bytes per second from the baseline (the newest sample at least a window old, or the first)
   * to `now`. Measured to now, not to the last sample: when bytes stop, the speed falls.
   */
  speed(now: number): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return 0;
    const baseline = [...this.samples].reverse().find((s) => s.t <= now - this.windowMs) ?? first;
    const elapsed = now - baseline.t;
    return elapsed > 0 ? ((last.bytes - baseline.bytes) * 1000) / elapsed : 0;
  }

  reset(): void {
    this.samples = [];
  }
}

/** Seconds left at this speed, or null when it cannot be told (no speed yet). */
export function secondsLeft(remainingBytes: number, bytesPerSecond: number): number | null {
  if (remainingBytes <= 0) return 0;
  if (!(bytesPerSecond > 0)) return null;
  return Math.ceil(remainingBytes / bytesPerSecond);
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 };

/**
 * Delay before retry number `attempt` (1-based): exponential with full jitter, unless the server
 * said when to come back (Retry-After: seconds or an HTTP date), which wins up to maxMs * 5.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfter: string | null, now: number, random = Math.random): number {
  const told = parseRetryAfter(retryAfter, now);
  if (told !== null) return Math.min(told, policy.maxMs * 5);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '--';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
