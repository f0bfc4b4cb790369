// Atomic file replacement: write a temp file in the same directory, fsync it, rename it over the
// target, fsync the directory. A crash at any point leaves either the old file or the new one,
// never a mix; a failure (disk full, read-only) removes the temp file and leaves the old file.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Temp files are `.<target>.<yaml|json>.<12 hex>.sgtmp` (templates in a library folder; settings,
 * presets, drafts and the hash cache in the data folder); a rescan, or the service's start, removes
 * any left by a crash. Only that exact shape is ever removed: a user's own `.build.sgtmp` is not
 * Shotglass's to delete.
 */
export const TEMP_SUFFIX = '.sgtmp';
const TEMP_RE = /^\..+\.(ya?ml|json)\.[0-9a-f]{12}\.sgtmp$/;
export const isTempFile = (name: string) => TEMP_RE.test(name);

/** `mode` applies to a new file (0o600 for the data folder's private files). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  let handle;
  try {
    handle = await open(temp, 'wx', options.mode ?? 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Make a rename or unlink in `dir` durable. Not possible on Windows (ignored there). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF' && code !== 'EACCES') throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Remove temp files left in `dir` by a crash. Returns how many; never throws. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  try {
    for (const name of await readdir(dir)) {
      if (!isTempFile(name)) continue;
      try {
        await unlink(join(dir, name));
        removed++;
      } catch {
        // read-only folder or already gone: nothing to do
      }
    }
  } catch {
    // no such folder
  }
  return removed;
}
