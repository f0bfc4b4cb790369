// SHA-256 of model files, computed once per file version (path, size, mtime) and remembered,
// optionally across sessions in a small JSON file: hashing a 5 GB model takes seconds.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
        const data = JSON.parse(await readFile(this.cacheFile, 'utf8')) as Record<string, Entry>;
        this.entries = new Map(Object.entries(data));
      } catch {
        // no cache yet, or unreadable: start empty (it is only a cache)
      }
    })();
    return this.loaded;
  }

  async sha256(path: string): Promise<string> {
    await this.load();
    const s = await stat(path);
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
      const temp = `${this.cacheFile}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(Object.fromEntries(this.entries), null, 1));
      await rename(temp, this.cacheFile);
    } catch {
      // a cache that cannot be written only costs a re-hash next session
    }
  }
}

export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
