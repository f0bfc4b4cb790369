// One file, downloaded so that nothing is lost and nothing unverified is used.
//
// Why by hand over Node's fetch (undici) rather than node-llama-cpp's createModelDownloader
// (ipull): measured against a stand-in Hub, ipull resumes a cut connection but saves a file with
// a flipped byte under its final name with no complaint, deletes partials on cancel by default,
// gives no stall signal (its speed readout freezes) and no say over 429/503 backoff; its resume
// state is its own. What this module adds is exactly that: a stall timer, retries with backoff
// (honouring Retry-After), Range + If-Range resume from a state file beside the partial, the
// SHA-256 of the bytes checked against the Hub's LFS oid before the file gets its final name, and
// a clear error on a full disk that keeps the partial for later.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatSize } from '../../core/models/fit.js';
import { DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from '../../core/models/transfer.js';
import { syncDirectory } from '../fs/atomic.js';
import { partialPath, readState, removeState, sameContent, writeState } from './download-state.js';
import { describeStatus } from './hub-client.js';

export type DownloadErrorCode = 'checksum' | 'disk-full' | 'http' | 'network' | 'conflict' | 'size' | 'io';

export class DownloadError extends Error {
  constructor(readonly code: DownloadErrorCode, message: string) {
    super(message);
  }
}

export interface FileTask {
  url: string;
  /** The final path; the bytes go to `<dest>.partial` until verified. */
  dest: string;
  size: number;
  /** The Hub's LFS oid; null only for files the Hub does not store in LFS (then size is checked). */
  sha256: string | null;
  headers?: Record<string, string>;
}

export interface TransferPolicy {
  /** No byte for this long (headers included) counts as a stall: the attempt is dropped and retried. */
  stallMs: number;
  /** Consecutive attempts without a byte of progress before giving up. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_POLICY: TransferPolicy = { stallMs: 20_000, maxAttempts: 8, backoff: DEFAULT_BACKOFF };

export type FileEvent =
  | { type: 'resumed'; file: string; fromByte: number }
  | { type: 'exists'; file: string }
  | { type: 'stalled'; file: string; seconds: number; attempt: number }
  | { type: 'retry'; file: string; attempt: number; reason: string; delayMs: number }
  | { type: 'restarted'; file: string; reason: string }
  | { type: 'verifying'; file: string }
  | { type: 'verified'; file: string; sha256: string };

export interface TransferHooks {
  /** Aborted to pause or cancel; the partial and its state stay. */
  signal: AbortSignal;
  onBytes: (bytes: number) => void;
  /** The absolute position reached in this file (after a resume or restart too). */
  onPosition: (position: number) => void;
  onEvent: (event: FileEvent) => void;
}

class Stall extends Error {}
class Retryable extends Error {
  constructor(message: string, readonly retryAfter: string | null = null) {
    super(message);
  }
}

export async function downloadFile(task: FileTask, hooks: TransferHooks, policy: TransferPolicy = DEFAULT_POLICY, restarts = 0): Promise<void> {
  const name = task.dest;
  await mkdir(dirname(task.dest), { recursive: true });
  if (await finishedAlready(task)) {
    hooks.onPosition(task.size);
    hooks.onEvent({ type: 'exists', file: name });
    return;
  }
  const partial = partialPath(task.dest);
  const state = await readState(task.dest);
  const partialSize = await sizeOf(partial);
  let position = 0;
  let etag: string | null = null;
  if (state && sameContent(state, task.size, task.sha256) && partialSize !== null && partialSize <= task.size) {
    position = partialSize;
    etag = state.etag;
    if (position > 0) hooks.onEvent({ type: 'resumed', file: name, fromByte: position });
  } else {
    // No state, another file's state, or a partial longer than the file: start clean.
    await saveState(task, null);
    await (await open(partial, 'w')).close().catch(() => undefined);
  }
  await checkSpace(dirname(task.dest), task.size - position, partial);
  const hash = createHash('sha256');
  if (position > 0) await hashPrefix(partial, position, hash, hooks.signal);
  hooks.onPosition(position);

  const handle = await open(partial, 'r+');
  try {
    let failures = 0;
    while (position < task.size) {
      const before = position;
      try {
        // The validator is saved as soon as the headers arrive, so a break mid-body resumes with it.
        const onEtag = async (value: string | null) => {
          if (value === etag) return;
          etag = value;
          await saveState(task, etag);
        };
        position = await attempt(task, handle, hash, position, etag, onEtag, hooks, policy);
        if (position < task.size) throw new Retryable(`the connection closed at ${formatSize(position)} of ${formatSize(task.size)}`);
      } catch (error) {
        if (hooks.signal.aborted) throw hooks.signal.reason ?? error;
        position = (error as { position?: number }).position ?? position;
        if (error instanceof Restart) {
          if (restarts >= 2) throw new DownloadError('http', `${error.message}, again; giving up (the server does not resume this file)`);
          return downloadFileAfterRestart(task, hooks, policy, handle, error.message, restarts + 1);
        }
        if (!(error instanceof Retryable) && !(error instanceof Stall)) throw error;
        failures = position > before ? 1 : failures + 1;
        if (error instanceof Stall) hooks.onEvent({ type: 'stalled', file: name, seconds: policy.stallMs / 1000, attempt: failures });
        if (failures >= policy.maxAttempts) {
          throw new DownloadError('network', `${error.message}; gave up after ${failures} attempts (the partial file is kept: run the download again to resume)`);
        }
        const delayMs = retryDelay(failures, policy.backoff, error instanceof Retryable ? error.retryAfter : null, Date.now());
        hooks.onEvent({ type: 'retry', file: name, attempt: failures, reason: error.message, delayMs });
        await sleep(delayMs, hooks.signal);
      }
    }
    await handle.sync();
  } finally {
    await handle.close().catch(() => undefined);
  }
  await verifyAndPlace(task, hash.digest('hex'), hooks);
}

async function saveState(task: FileTask, etag: string | null): Promise<void> {
  try {
    await writeState(task.dest, { version: 1, url: task.url, size: task.size, sha256: task.sha256, etag, startedAt: new Date().toISOString() });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new DownloadError('disk-full', `the disk is full: cannot save the download state beside ${task.dest} (the partial file is kept)`);
    }
    throw new DownloadError('io', `cannot save the download state beside ${task.dest} (${code ?? (error as Error).message})`);
  }
}

/** The server ignored our validator (the file changed) or sent from byte 0: begin again. */
class Restart extends Error {}

async function downloadFileAfterRestart(task: FileTask, hooks: TransferHooks, policy: TransferPolicy, handle: FileHandle, reason: string, restarts: number) {
  await handle.close().catch(() => undefined);
  await removeState(task.dest);
  await unlink(partialPath(task.dest)).catch(() => undefined);
  hooks.onEvent({ type: 'restarted', file: task.dest, reason });
  return downloadFile(task, hooks, policy, restarts);
}

async function attempt(
  task: FileTask,
  handle: FileHandle,
  hash: Hash,
  start: number,
  etag: string | null,
  onEtag: (etag: string | null) => Promise<void>,
  hooks: TransferHooks,
  policy: TransferPolicy,
): Promise<number> {
  const controller = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort(new Stall(`no data for ${policy.stallMs / 1000} s`));
    }, policy.stallMs);
  };
  const signal = AbortSignal.any([controller.signal, hooks.signal]);
  let position = start;
  arm();
  try {
    const headers: Record<string, string> = { ...task.headers, 'Accept-Encoding': 'identity' };
    if (start > 0) {
      headers.Range = `bytes=${start}-`;
      if (etag) headers['If-Range'] = etag;
    }
    const response = await fetch(task.url, { headers, signal, redirect: 'follow' });
    if (response.status === 416 && start >= task.size) return start;
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw new Retryable(`the server answered ${response.status}`, response.headers.get('retry-after'));
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 416) throw new Restart('the server refused the resume range');
      throw new DownloadError('http', describeStatus(response.status, task.url, Boolean(task.headers?.Authorization)));
    }
    if (start > 0 && response.status !== 206) {
      await response.body?.cancel().catch(() => undefined);
      throw new Restart('the server sent the whole file instead of the rest (it changed, or ignores ranges)');
    }
    if (response.status === 206) {
      const from = Number(/bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
      if (from !== start) throw new Restart(`the server resumed at byte ${from}, not ${start}`);
    }
    if (!response.body) throw new Retryable('the response has no body');
    await onEtag(response.headers.get('etag') ?? etag);
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arm();
      if (position + value.length > task.size) {
        throw new DownloadError('size', `the server sent more than the ${formatSize(task.size)} the Hub lists; the file is not what was expected`);
      }
      await writeAll(handle, value, position, task.dest);
      hash.update(value);
      position += value.length;
      hooks.onBytes(value.length);
      hooks.onPosition(position);
    }
    return position;
  } catch (error) {
    const err = stalled ? new Stall(`no data for ${policy.stallMs / 1000} s`) : classify(error);
    throw Object.assign(err, { position });
  } finally {
    clearTimeout(timer);
  }
}

function classify(error: unknown): Error {
  if (error instanceof DownloadError || error instanceof Restart || error instanceof Retryable) return error;
  if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') return error as Error;
  const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as NodeJS.ErrnoException).code;
  // undici: "terminated" / "fetch failed" with ECONNRESET, UND_ERR_SOCKET, ECONNREFUSED, ...
  return new Retryable(`the connection failed (${code ?? (error as Error).message})`);
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number, dest: string): Promise<void> {
  let written = 0;
  try {
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
      written += bytesWritten;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      await handle.truncate(position).catch(() => undefined);
      throw new DownloadError(
        'disk-full',
        `the disk is full (${formatSize(position)} of ${dest} written); the partial file is kept: free some space and run the download again to resume`,
      );
    }
    throw new DownloadError('io', `cannot write ${dest}.partial (${code ?? (error as Error).message})`);
  }
}

async function verifyAndPlace(task: FileTask, digest: string, hooks: TransferHooks): Promise<void> {
  const partial = partialPath(task.dest);
  const size = await sizeOf(partial);
  if (size !== task.size) throw new DownloadError('size', `${task.dest}: got ${size} bytes, expected ${task.size}`);
  hooks.onEvent({ type: 'verifying', file: task.dest });
  if (task.sha256 && digest !== task.sha256) {
    await unlink(partial).catch(() => undefined);
    await removeState(task.dest);
    throw new DownloadError(
      'checksum',
      `${task.dest}: SHA-256 mismatch (expected ${task.sha256}, got ${digest}); the corrupt download was deleted and will not be used`,
    );
  }
  await rename(partial, task.dest);
  await syncDirectory(dirname(task.dest));
  await removeState(task.dest);
  hooks.onEvent({ type: 'verified', file: task.dest, sha256: digest });
}

/** A final file already in place is accepted only if it is this content (never overwritten). */
async function finishedAlready(task: FileTask): Promise<boolean> {
  const size = await sizeOf(task.dest);
  if (size === null) return false;
  if (size === task.size && (!task.sha256 || (await hashFile(task.dest)) === task.sha256)) {
    await removeState(task.dest);
    return true;
  }
  throw new DownloadError('conflict', `${task.dest} already exists and is a different file; move it away or choose another folder`);
}

async function checkSpace(dir: string, needed: number, partial: string): Promise<void> {
  let free: number;
  try {
    const s = await statfs(dir);
    free = s.bavail * s.bsize;
  } catch {
    return; // not knowable here: the write will say if the disk fills
  }
  if (free < needed) {
    const kept = (await sizeOf(partial)) ? ' (the partial file is kept)' : '';
    throw new DownloadError('disk-full', `not enough disk space in ${dir}: ${formatSize(needed)} more is needed, ${formatSize(free)} is free${kept}`);
  }
}

async function hashPrefix(path: string, length: number, hash: Hash, signal: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, signal })) hash.update(chunk as Buffer);
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

