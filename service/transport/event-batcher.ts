// Service events cross IPC in batches: at most one message per ~frame however many tokens arrive,
// so four streaming columns do not flood the renderer with one IPC message per token. Browser
// mode's WebSocket does the same (an array of events per 16 ms frame); the preload unpacks each
// batch into one listener call per event, so the renderer still sees single events.
import type { ServiceEvent } from '../../core/api/contract.js';

export const EVENT_BATCH_MS = 16;

type RunDelta = Extract<ServiceEvent, { type: 'run.delta' }>;

export interface EventBatcher {
  push(event: ServiceEvent): void;
  /** Send what is pending now. */
  flush(): void;
  /** Flush, then drop anything pushed later. */
  dispose(): void;
}

export function createEventBatcher(send: (batch: ServiceEvent[]) => void, intervalMs = EVENT_BATCH_MS): EventBatcher {
  let queue: ServiceEvent[] = [];
  /** runId -> index in `queue` of that run's delta still open for merging */
  let openDelta = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!queue.length) return;
    const batch = queue;
    queue = [];
    openDelta = new Map();
    send(batch);
  };

  return {
    push(event) {
      if (disposed) return;
      if (event.type === 'run.delta') {
        // Deltas may carry several tokens (contract): merge a run's deltas within one batch.
        const at = openDelta.get(event.runId);
        const open = at === undefined ? undefined : (queue[at] as RunDelta);
        if (at !== undefined && open) {
          queue[at] = { ...open, text: open.text + event.text, tokens: open.tokens + event.tokens, steps: [...open.steps, ...event.steps] };
        } else {
          openDelta.set(event.runId, queue.length);
          queue.push({ ...event });
        }
      } else {
        // Anything else about a run (end, error) closes its delta: later text must come after it.
        if ('runId' in event) openDelta.delete(event.runId);
        queue.push(event);
      }
      timer ??= setTimeout(flush, intervalMs);
    },
    flush,
    dispose() {
      flush();
      disposed = true;
    },
  };
}
