// Starts the inference host as a Node child process (browser mode, CLI, tests).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TailBuffer, type HostExit, type HostProcess, type SpawnHost } from '../../host/channel.js';
import type { HostToMain, MainToHost } from '../../host/protocol.js';

export function spawnNodeHost(entry: string, env: NodeJS.ProcessEnv = process.env): SpawnHost {
  return (options = {}): HostProcess => {
    const child = fork(entry, [], {
      // stdout is not ours to print on (the CLI streams completions there); stderr is kept for
      // llama.cpp's abort messages.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: options.backend ? { ...env, SHOTGLASS_GPU: options.backend } : env,
    });
    const stderr = new TailBuffer();
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      if (env.SHOTGLASS_DEBUG) process.stderr.write(chunk);
    });
    const exitListeners: Array<(exit: HostExit) => void> = [];
    let exited = false;
    const reportExit = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l({ code, signal, stderrTail: stderr.toString() });
    };
    // 'close' waits for stderr to drain, so the abort message is complete.
    child.on('close', reportExit);
    child.on('error', () => reportExit(null, null));
    return {
      pid: child.pid,
      send: (message: MainToHost) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as HostToMain)),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => child.kill('SIGKILL'),
    };
  };
}

/** The project (or installed package) root, from a file inside it. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Shotglass package root');
    dir = up;
  }
  return dir;
}

export function defaultHostEntry(root = packageRoot()): string {
  return resolve(root, 'dist', 'node', 'host.mjs');
}

export function defaultDemoModelPath(root = packageRoot()): string {
  return resolve(root, 'resources', 'models', 'shotglass-demo.gguf');
}
