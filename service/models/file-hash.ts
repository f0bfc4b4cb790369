// SHA-256 of model files, computed once per file version (path, size, mtime) and remembered,
// optionally across sessions in a small JSON file: hashing a 5 GB model takes seconds.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomic.js';
import { dirname } from 'node:path';
import { ApiError } from '../../core/api/contract.js';
import { FileRefused, openRegularFile, READ_LIMITS, readTextBounded, refusalMessage } from '../../node/fs/safe-file.js';

interface Entry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export class FileHashCache {
  private entries = new Map<string, Entry>();
  private loaded?: Promise<void>;
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly cacheFile?: string) {}

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.cacheFile) return;
      try {
        const data = JSON.parse(await readTextBounded(this.cacheFile, READ_LIMITS.config)) as Record<string, Entry>;
        this.entries = new Map(Object.entries(data));
      } catch {
        // no cache yet, or unreadable: start empty (it is only a cache)
      }
    })();
    return this.loaded;
  }

  async sha256(path: string): Promise<string> {
    await this.load();
    // Opened without blocking and checked to be a regular file: a FIFO or a device under a model's
    // name must not park a libuv worker thread (four of them would stall every file operation).
    let opened;
    try {
      opened = await openRegularFile(path);
    } catch (error) {
      if (error instanceof FileRefused) throw new ApiError('invalid-argument', refusalMessage(path, error));
      throw error;
    }
    const s = opened.stats;
    await opened.handle.close().catch(() => undefined);
    const known = this.entries.get(path);
    if (known && known.size === s.size && known.mtimeMs === s.mtimeMs) return known.sha256;
    const key = `${path}\0${s.size}\0${s.mtimeMs}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = hashFile(path).then(async (sha256) => {
        this.entries.set(path, { size: s.size, mtimeMs: s.mtimeMs, sha256 });
        await this.save();
        return sha256;
      });
      pending.finally(() => this.inFlight.delete(key)).catch(() => {});
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async save(): Promise<void> {
    if (!this.cacheFile) return;
    try {
      await mkdir(dirname(this.cacheFile), { recursive: true });
      await writeFileAtomic(this.cacheFile, JSON.stringify(Object.fromEntries(this.entries), null, 1));
    } catch {
      // a cache that cannot be written only costs a re-hash next session
    }
  }
}

/** SHA-256 of a regular file, streamed from a descriptor opened without blocking. */
export async function hashFile(path: string): Promise<string> {
  const { handle } = await openRegularFile(path);
  const hash = createHash('sha256');
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 4 * 1024 * 1024, autoClose: false })) {
      hash.update(chunk as Buffer);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  return hash.digest('hex');
}
