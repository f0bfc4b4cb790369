// The Node side of file references in evaluation and promptfoo configs: `file://` paths are read
// relative to the config's folder (as promptfoo does), as UTF-8, with a size cap.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileReader } from '../../core/eval/promptfoo/files.js';

/** 100 MB: a dataset larger than this is a mistake (or belongs in SQLite), not a file to parse in one go. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export function nodeFileReader(baseDir: string): FileReader {
  return async (path: string) => {
    const full = resolve(baseDir, path);
    let size: number;
    try {
      const info = await stat(full);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      size = info.size;
    } catch (error) {
      // only the error code: the message could quote paths we were not asked to show
      throw new Error((error as NodeJS.ErrnoException).code ?? 'unreadable');
    }
    if (size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
    try {
      return await readFile(full, 'utf8');
    } catch (error) {
      throw new Error((error as NodeJS.ErrnoException).code ?? 'unreadable');
    }
  };
}
