// Bounded, non-blocking file reads. Every file Shotglass reads on someone's say-so goes through
// here: opened with O_NONBLOCK (a FIFO with no writer must not hang the event loop or a worker
// thread), checked on the open descriptor to be a regular file (so /dev/zero, a FIFO or a
// directory is refused, and a swap between a check and the open cannot slip one in), and read up
// to a cap. Errors name the problem and the file's name, never its contents, and never whether an
// arbitrary path exists beyond "cannot be read".
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';

/** Caps for what Shotglass reads whole (models are streamed, never read whole). */
export const READ_LIMITS = {
  /** a template file (the library's own limit) */
  template: 16 * 1024 * 1024,
  /** settings.json, presets.json, model-hashes.json */
  config: 4 * 1024 * 1024,
  /** a dataset, a messages/schema/grammar file given to the CLI */
  dataset: 64 * 1024 * 1024,
} as const;

export type RefusalReason = 'unreadable' | 'not-a-file' | 'too-large';

/** A file Shotglass will not read: the reason, and a sentence fragment that follows the file's name. */
export class FileRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly fragment: string,
    readonly code?: string,
  ) {
    super(fragment);
    this.name = 'FileRefused';
  }
}

// O_NONBLOCK does not exist on Windows (no FIFOs there to block on).
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOCTTY = constants.O_NOCTTY ?? 0;

export const describeSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;

/** What a non-regular file is, in words. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Open a regular file for reading without blocking; the caller closes the handle.
 * Throws FileRefused('unreadable') for anything that cannot be opened (missing, denied, a
 * dangling link, a link loop: one answer, so a caller learns nothing about other paths), and
 * FileRefused('not-a-file') for a folder, a FIFO, a device or a socket.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; stats: Stats }> {
  if (path.includes('\0')) throw new FileRefused('unreadable', 'cannot be read');
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | NONBLOCK | NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new FileRefused('unreadable', 'is a symbolic link that loops', code);
    if (code === 'EISDIR') throw new FileRefused('not-a-file', 'is a folder, not a file', code);
    throw new FileRefused('unreadable', 'cannot be read (it does not exist, or Shotglass may not read it)', code);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FileRefused('not-a-file', `is ${kindOf(stats)}, not a regular file`);
    return { handle, stats };
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (error instanceof FileRefused) throw error;
    throw new FileRefused('unreadable', 'cannot be read', (error as NodeJS.ErrnoException).code);
  }
}

/** Read a whole regular file of at most `maxBytes` (checked before and while reading). */
export async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const { handle, stats } = await openRegularFile(path);
  try {
    if (stats.size > maxBytes) throw new FileRefused('too-large', `is larger than ${describeSize(maxBytes)}, the limit for this kind of file`);
    // The file may grow between fstat and read: read at most one byte past the cap to notice.
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) {
        if (filled > maxBytes) throw new FileRefused('too-large', `is larger than ${describeSize(maxBytes)}, the limit for this kind of file`);
        break;
      }
    }
    return buffer.subarray(0, filled);
  } catch (error) {
    if (error instanceof FileRefused) throw error;
    throw new FileRefused('unreadable', 'cannot be read', (error as NodeJS.ErrnoException).code);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** readBounded as UTF-8 text. */
export async function readTextBounded(path: string, maxBytes: number): Promise<string> {
  return (await readBounded(path, maxBytes)).toString('utf8');
}

/** "<name> <fragment>" for a refusal, naming the file by its base name only. */
export function refusalMessage(path: string, error: FileRefused): string {
  return `${basename(path)} ${error.fragment}`;
}

/** The first `count` bytes of a regular file (fewer if it is shorter), without blocking. */
export async function readHead(path: string, count: number): Promise<{ head: Buffer; size: number }> {
  const { handle, stats } = await openRegularFile(path);
  try {
    const head = Buffer.alloc(Math.min(count, stats.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size: stats.size };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** readBounded for synchronous callers (the CLI's argument parsing): the same checks and messages. */
export function readBoundedSync(path: string, maxBytes: number): Buffer {
  if (path.includes('\0')) throw new FileRefused('unreadable', 'cannot be read');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK | NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new FileRefused('unreadable', 'is a symbolic link that loops', code);
    if (code === 'EISDIR') throw new FileRefused('not-a-file', 'is a folder, not a file', code);
    throw new FileRefused('unreadable', 'cannot be read (it does not exist, or Shotglass may not read it)', code);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileRefused('not-a-file', `is ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new FileRefused('too-large', `is larger than ${describeSize(maxBytes)}, the limit for this kind of file`);
    const buffer = Buffer.alloc(stats.size + 1);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled === buffer.length) break;
    }
    if (filled > maxBytes) throw new FileRefused('too-large', `is larger than ${describeSize(maxBytes)}, the limit for this kind of file`);
    return buffer.subarray(0, filled);
  } catch (error) {
    if (error instanceof FileRefused) throw error;
    throw new FileRefused('unreadable', 'cannot be read', (error as NodeJS.ErrnoException).code);
  } finally {
    closeSync(fd);
  }
}
