// A model download: one file, or the parts of a split model, fetched one after another as one
// job with one progress (bytes, a speed that keeps updating, time left, seconds without data),
// pause, resume and cancel. Cancel keeps the partial files unless asked to delete them.
import { unlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { SpeedMeter, secondsLeft } from '../../core/models/transfer.js';
import { partialPath, removeState } from './download-state.js';
import { DEFAULT_POLICY, DownloadError, downloadFile, type FileEvent, type FileTask, type TransferPolicy } from './download-file.js';
import type { ResolvedModel } from './hub-client.js';

export type JobState = 'queued' | 'downloading' | 'paused' | 'cancelled' | 'done' | 'failed';

export interface DownloadProgress {
  state: JobState;
  bytes: number;
  total: number;
  /** Bytes per second over the last few seconds; falls to 0 while no data arrives. */
  speed: number;
  secondsLeft: number | null;
  /** Milliseconds since the last byte arrived (a stall shows here before it is declared). */
  idleMs: number;
  file: string;
  part: number;
  parts: number;
}

export type DownloadEvent =
  | FileEvent
  | ({ type: 'progress' } & DownloadProgress)
  | { type: 'state'; state: JobState }
  | { type: 'done'; path: string; files: string[] }
  | { type: 'failed'; code: string; message: string };

export interface DownloadResult {
  /** The path to load: the file, or the first part of a split model. */
  path: string;
  files: string[];
}

export class CancelledError extends Error {
  readonly code = 'cancelled';
}
class PauseSignal extends Error {}

/** Where a resolved model's files go: <dir>/<user>/<repo>/<path in the repository>. */
export function planDownload(model: ResolvedModel, dir: string, headers: Record<string, string> = {}): FileTask[] {
  const root = resolve(dir);
  return model.files.map((file, i) => {
    const dest = join(root, ...model.repo.split('/'), ...file.path.split('/'));
    const rel = relative(root, dest);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new DownloadError('conflict', `refusing to write outside ${root}: ${file.path}`);
    return { url: model.urls[i]!, dest, size: file.size, sha256: file.sha256, headers };
  });
}

export interface JobOptions {
  policy?: Partial<TransferPolicy>;
  /** How often progress is reported (ms). */
  tickMs?: number;
  speedWindowMs?: number;
}

export class DownloadJob {
  state: JobState = 'queued';
  readonly result: Promise<DownloadResult>;
  private readonly listeners = new Set<(event: DownloadEvent) => void>();
  private readonly policy: TransferPolicy;
  private readonly meter: SpeedMeter;
  private controller = new AbortController();
  private wake?: () => void;
  private index = 0;
  private position = 0;
  private completed = 0;
  private received = 0;
  private lastByteAt = Date.now();
  private readonly total: number;
  private ticker?: NodeJS.Timeout;
  private settle!: { resolve: (r: DownloadResult) => void; reject: (e: unknown) => void };
  private deletePartials = false;

  constructor(readonly tasks: FileTask[], private readonly options: JobOptions = {}) {
    if (tasks.length === 0) throw new DownloadError('conflict', 'nothing to download');
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.meter = new SpeedMeter(options.speedWindowMs ?? 3000);
    this.total = tasks.reduce((n, t) => n + t.size, 0);
    this.result = new Promise((res, rej) => (this.settle = { resolve: res, reject: rej }));
    this.result.catch(() => undefined); // a listener-only caller must not see an unhandled rejection
  }

  on(listener: (event: DownloadEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): this {
    if (this.state !== 'queued') return this;
    this.setState('downloading');
    this.ticker = setInterval(() => this.emit({ type: 'progress', ...this.progress() }), this.options.tickMs ?? 500);
    this.ticker.unref();
    this.run().then(
      (result) => this.finish(() => this.settle.resolve(result), { type: 'done', ...result }, 'done'),
      (error) => this.fail(error),
    );
    return this;
  }

  pause(): void {
    if (this.state !== 'downloading') return;
    this.setState('paused');
    this.controller.abort(new PauseSignal('paused'));
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('downloading');
    this.wake?.();
  }

  /** Stops for good. The partial files stay (a later download resumes them) unless deletePartial. */
  cancel(options: { deletePartial?: boolean } = {}): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled') return;
    this.deletePartials = options.deletePartial ?? false;
    const wasPaused = this.state === 'paused';
    this.setState('cancelled');
    this.controller.abort(new CancelledError('the download was cancelled'));
    if (wasPaused) this.wake?.();
  }

  progress(): DownloadProgress {
    const now = Date.now();
    const speed = this.meter.speed(now);
    const bytes = this.completed + this.position;
    return {
      state: this.state,
      bytes,
      total: this.total,
      speed,
      secondsLeft: secondsLeft(this.total - bytes, speed),
      idleMs: this.state === 'downloading' ? now - this.lastByteAt : 0,
      file: this.tasks[Math.min(this.index, this.tasks.length - 1)]!.dest,
      part: Math.min(this.index + 1, this.tasks.length),
      parts: this.tasks.length,
    };
  }

  private async run(): Promise<DownloadResult> {
    for (this.index = 0; this.index < this.tasks.length; this.index++) {
      const task = this.tasks[this.index]!;
      for (;;) {
        if (this.state === 'cancelled') throw new CancelledError('the download was cancelled');
        if (this.state === 'paused') await new Promise<void>((wake) => (this.wake = wake));
        if ((this.state as JobState) === 'cancelled') continue;
        this.controller = new AbortController();
        this.lastByteAt = Date.now();
        try {
          await downloadFile(
            task,
            {
              signal: this.controller.signal,
              onBytes: (n) => {
                this.received += n;
                this.lastByteAt = Date.now();
                this.meter.add(this.lastByteAt, this.received);
              },
              onPosition: (p) => (this.position = p),
              onEvent: (e) => this.emit(e),
            },
            this.policy,
          );
          break;
        } catch (error) {
          // Whatever was interrupted (a read, a hash of the partial, a backoff), a pause is a pause.
          if (this.controller.signal.aborted) {
            if (this.controller.signal.reason instanceof PauseSignal) continue;
            throw this.controller.signal.reason;
          }
          throw error;
        }
      }
      this.completed += task.size;
      this.position = 0;
    }
    return { path: this.tasks[0]!.dest, files: this.tasks.map((t) => t.dest) };
  }

  private async fail(error: unknown): Promise<void> {
    if (error instanceof CancelledError || this.state === 'cancelled') {
      if (this.deletePartials) {
        for (const t of this.tasks) {
          await unlink(partialPath(t.dest)).catch(() => undefined);
          await removeState(t.dest).catch(() => undefined);
        }
      }
      const cancelled = error instanceof CancelledError ? error : new CancelledError('the download was cancelled');
      this.finish(() => this.settle.reject(cancelled), { type: 'failed', code: 'cancelled', message: cancelled.message }, 'cancelled');
      return;
    }
    const code = error instanceof DownloadError ? error.code : 'io';
    const message = error instanceof Error ? error.message : String(error);
    this.finish(() => this.settle.reject(error), { type: 'failed', code, message }, 'failed');
  }

  private finish(settle: () => void, event: DownloadEvent, state: JobState): void {
    clearInterval(this.ticker);
    this.setState(state);
    this.emit({ type: 'progress', ...this.progress() });
    this.emit(event);
    settle();
  }

  private setState(state: JobState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit({ type: 'state', state });
  }

  private emit(event: DownloadEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a failing listener must not break the download
      }
    }
  }
}
