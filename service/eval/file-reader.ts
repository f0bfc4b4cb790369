// The Node side of file references in evaluation and promptfoo configs: `file://` paths are read
// relative to the config's folder (as promptfoo does), as UTF-8, with a size cap.
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve, isAbsolute } from 'node:path';
import type { FileReader } from '../../core/eval/promptfoo/files.js';

/** 100 MB: a dataset larger than this is a mistake (or belongs in SQLite), not a file to parse in one go. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

/**
 * `confine`: refuse paths that leave baseDir (`../`, absolute paths). The CLI reads what the user's
 * own config names, as promptfoo does; the app should confine a config it imports, so a config
 * from elsewhere cannot pull arbitrary files into a dataset shown on screen.
 */
export function nodeFileReader(baseDir: string, options: { confine?: boolean } = {}): FileReader {
  return async (path: string) => {
    const full = resolve(baseDir, path);
    const rel = relative(resolve(baseDir), full);
    if (options.confine && (rel.startsWith('..') || isAbsolute(rel))) throw new Error('outside the folder of the config');
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
