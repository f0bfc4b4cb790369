// The inference host as an Electron utilityProcess (the desktop app's SpawnHost). The host entry
// (electron/host/main.ts, built to .vite/build/host.js) reads process.parentPort messages and
// replies with parentPort.postMessage, so here it is child.postMessage / child.on('message').
import { utilityProcess } from 'electron';
import { TailBuffer, type HostExit, type HostProcess, type SpawnHost } from '../host/channel.js';
import type { HostToMain, MainToHost } from '../host/protocol.js';

export interface UtilityHostOptions {
  /** Shown in the OS task manager and app.getAppMetrics(). */
  serviceName?: string;
  env?: NodeJS.ProcessEnv;
  /** Copy the host's stdout/stderr to this process's (development). */
  echo?: boolean;
  /** How long to wait, after the exit, for stderr to deliver its last bytes. */
  stderrDrainMs?: number;
}

type Stream = NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean };

export function spawnUtilityHost(entryPath: string, options: UtilityHostOptions = {}): SpawnHost {
  return (spawn = {}): HostProcess => {
    const child = utilityProcess.fork(entryPath, [], {
      // stdin cannot be anything but 'ignore' for a utility process.
      stdio: ['ignore', 'pipe', 'pipe'],
      serviceName: options.serviceName ?? 'Shotglass inference host',
      env: spawn.backend ? { ...(options.env ?? process.env), SHOTGLASS_GPU: spawn.backend } : (options.env ?? process.env),
    });

    // Both streams are drained (a full pipe would block the host); stderr's tail is kept because
    // llama.cpp prints its aborts there. Captured now: child.stderr is null after 'exit'.
    const stderrTail = new TailBuffer();
    const stdout = child.stdout as Stream | null;
    const stderr = child.stderr as Stream | null;
    stdout?.on('data', (chunk: Buffer) => {
      if (options.echo) process.stdout.write(chunk);
    });
    stderr?.on('data', (chunk: Buffer) => {
      stderrTail.push(chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    child.on('error', (type, location) => stderrTail.push(`\n[utility process ${type} at ${location}]\n`));

    const exitListeners: Array<(exit: HostExit) => void> = [];
    let exited = false;
    child.on('exit', (code) => {
      exited = true;
      void drained(stderr, options.stderrDrainMs ?? 250).then(() => {
        // utilityProcess reports only an exit code: a signal shows up in it, never separately.
        const exit: HostExit = { code, signal: null, stderrTail: stderrTail.toString() };
        for (const listener of exitListeners) listener(exit);
      });
    });

    return {
      get pid() {
        return child.pid;
      },
      send(message: MainToHost) {
        if (exited) return;
        try {
          child.postMessage(message);
        } catch (error) {
          console.error('shotglass: could not post to the inference host', error);
        }
      },
      onMessage(listener: (message: HostToMain) => void) {
        child.on('message', (message: unknown) => listener(message as HostToMain));
      },
      onExit(listener: (exit: HostExit) => void) {
        exitListeners.push(listener);
      },
      kill() {
        if (!exited) child.kill();
      },
    };
  };
}

/** Resolves once the stream has ended (all data delivered) or after `timeoutMs`, whichever first. */
function drained(stream: Stream | null, timeoutMs: number): Promise<void> {
  if (!stream || stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stream.removeListener('end', done);
      stream.removeListener('close', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    stream.once('end', done);
    stream.once('close', done);
  });
}
