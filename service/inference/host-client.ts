// Supervises the inference host process: starts it on first use, matches replies to calls, and
// when it dies fails every call in flight with a clear error. The next call starts a fresh one.
import { ApiError } from '../../core/api/contract.js';
import type { HostExit, HostProcess, SpawnHost } from '../../host/channel.js';
import type { HostCalls, HostEvent, HostMethod } from '../../host/protocol.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

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

  constructor(
    private readonly spawn: SpawnHost,
    private readonly onEvent: (event: HostEvent) => void,
    private readonly onStatus: (status: HostStatus) => void,
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
    });
  }

  private ensureProcess(): HostProcess {
    if (this.proc) return this.proc;
    this.onStatus({ status: 'starting' });
    const proc = this.spawn({ backend: this.backend });
    this.proc = proc;
    proc.onMessage((message) => {
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
    const message = expected ? 'the inference process was restarted' : describeExit(exit);
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
