// Supervises the inference host process: starts it on first use, matches replies to calls, and
// when it dies fails every call in flight with a clear error. The next call starts a fresh one.
import { ApiError } from '../../core/api/contract.js';
import type { HostExit, HostProcess, SpawnHost } from '../../host/channel.js';
import type { HostCalls, HostEvent, HostMethod } from '../../host/protocol.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A host that answers no ping for this long is stuck (a native call that never returns): restart it. */
export const HANG_TIMEOUT_MS = 15_000;
const PING_EVERY_MS = 1_000;

export type HostStatus = { status: 'starting' | 'ready' | 'stopped' } | { status: 'crashed'; message: string };

export class HostClient {
  private proc?: HostProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Bumped every time a host process ends: models loaded in an older generation are gone. */
  generation = 0;
  private disposed = false;
  /** set while a restart we asked for is under way: that exit is not a crash */
  private restarting = false;
  backend: string | undefined;
  /** why we are ending an unresponsive process (its exit is reported with this) */
  private hungReason: string | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private lastAnswer = 0;
  private pingInFlight = false;

  constructor(
    private readonly spawn: SpawnHost,
    private readonly onEvent: (event: HostEvent) => void,
    private readonly onStatus: (status: HostStatus) => void,
    private readonly hangTimeoutMs = HANG_TIMEOUT_MS,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  call<M extends HostMethod>(method: M, params: HostCalls[M]['params']): Promise<HostCalls[M]['result']> {
    if (this.disposed) return Promise.reject(new ApiError('internal', 'Shotglass is shutting down'));
    const proc = this.ensureProcess();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      proc.send({ kind: 'call', id, method, params });
      this.watch();
    });
  }

  /**
   * A call that must be answered within `ms` (Stop: within a second). A host that cannot answer
   * in time is stuck on something and is restarted; the call then resolves with `fallback`.
   */
  async callWithin<M extends HostMethod>(
    method: M,
    params: HostCalls[M]['params'],
    ms: number,
    fallback: HostCalls[M]['result'],
    reason: string,
  ): Promise<HostCalls[M]['result']> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    try {
      const outcome = await Promise.race([this.call(method, params), late]);
      if (outcome !== 'late') return outcome as HostCalls[M]['result'];
    } finally {
      clearTimeout(timer);
    }
    this.endUnresponsive(reason);
    return fallback;
  }

  /** While calls are in flight, ping the host; one that stays silent past HANG_TIMEOUT_MS is restarted. */
  private watch(): void {
    if (this.watchdog) return;
    this.lastAnswer = Date.now();
    this.watchdog = setInterval(() => {
      if (!this.proc || this.pending.size === 0) {
        clearInterval(this.watchdog);
        this.watchdog = undefined;
        this.pingInFlight = false;
        return;
      }
      if (Date.now() - this.lastAnswer > this.hangTimeoutMs) {
        this.endUnresponsive(`it did not respond for ${Math.round(this.hangTimeoutMs / 1000)} s`);
        return;
      }
      if (!this.pingInFlight) {
        this.pingInFlight = true;
        const proc = this.proc;
        const id = this.nextId++;
        this.pending.set(id, {
          resolve: () => {
            this.pingInFlight = false;
          },
          reject: () => {
            this.pingInFlight = false;
          },
        });
        proc.send({ kind: 'call', id, method: 'ping', params: {} });
      }
    }, PING_EVERY_MS);
    this.watchdog.unref?.();
  }

  /** End a process that does not answer; its calls fail with `reason`, the next call starts a fresh one. */
  private endUnresponsive(reason: string): void {
    if (!this.proc) return;
    this.hungReason = reason;
    this.proc.kill();
  }

  private ensureProcess(): HostProcess {
    if (this.proc) return this.proc;
    this.onStatus({ status: 'starting' });
    const proc = this.spawn({ backend: this.backend });
    this.proc = proc;
    proc.onMessage((message) => {
      this.lastAnswer = Date.now();
      if (message.kind === 'ready') this.onStatus({ status: 'ready' });
      else if (message.kind === 'events') for (const event of message.events) this.onEvent(event);
      else if (message.kind === 'result') {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new ApiError(message.error.code, message.error.message));
      }
    });
    proc.onExit((exit) => this.handleExit(proc, exit));
    return proc;
  }

  private handleExit(proc: HostProcess, exit: HostExit): void {
    if (this.proc !== proc) return;
    this.proc = undefined;
    this.generation++;
    const expected = this.disposed || this.restarting;
    this.restarting = false;
    const hung = this.hungReason;
    this.hungReason = undefined;
    this.pingInFlight = false;
    const message = expected
      ? 'the inference process was restarted'
      : hung
        ? `the inference process was restarted because ${hung}; it starts again on the next request`
        : describeExit(exit);
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new ApiError('host-crashed', message));
    }
    this.onStatus(expected ? { status: 'stopped' } : { status: 'crashed', message });
  }

  /** Ends the host process (for dispose, and for the user's "restart inference"). */
  kill(): void {
    this.proc?.kill();
  }

  /** A planned restart (e.g. another backend): the next call starts a fresh process. */
  async restart(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.restarting = true;
    const exited = new Promise<void>((resolve) => proc.onExit(() => resolve()));
    proc.kill();
    await exited;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.watchdog);
    this.kill();
  }
}

/** One sentence on why the host died, quoting llama.cpp's assertion when it printed one. */
export function describeExit(exit: HostExit): string {
  const assertion = /GGML_ASSERT\((.*)\) failed/.exec(exit.stderrTail)?.[1];
  const how = assertion
    ? `llama.cpp hit an internal check (${assertion}) and aborted`
    : exit.signal
      ? `it was ended by ${exit.signal}`
      : `it exited with code ${exit.code}`;
  return `the inference process stopped unexpectedly (${how}); it restarts on the next request`;
}
