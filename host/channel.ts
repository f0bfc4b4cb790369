// How the backend talks to an inference host process, whatever started it: a Node child process
// (browser mode, CLI, tests) or an Electron utilityProcess (the desktop app).
import type { HostToMain, MainToHost } from './protocol.js';

export interface HostExit {
  code: number | null;
  signal: string | null;
  /** The last lines the process wrote to stderr (llama.cpp prints its aborts there). */
  stderrTail: string;
}

export interface HostProcess {
  readonly pid: number | undefined;
  send(message: MainToHost): void;
  onMessage(listener: (message: HostToMain) => void): void;
  onExit(listener: (exit: HostExit) => void): void;
  kill(): void;
}

export interface SpawnOptions {
  /** the compute backend the new process should use (SHOTGLASS_GPU) */
  backend?: string;
}

export type SpawnHost = (options?: SpawnOptions) => HostProcess;

/** Keeps the last `limit` characters written to a stream. */
export class TailBuffer {
  private text = '';
  constructor(private readonly limit = 8192) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.limit);
  }
  toString(): string {
    return this.text;
  }
}
