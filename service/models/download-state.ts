// What a download leaves beside its partial file so that it resumes after the app or the machine
// restarts: `<file>.partial` holds the bytes, `<file>.partial.json` says what they are a prefix
// of (the expected size and sha256, the validator the server gave). The partial's length is the
// resume point; its content is re-hashed on resume, so a prefix never needs trusting.
import { readFile, unlink } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic.js';

export const PARTIAL_SUFFIX = '.partial';
export const STATE_SUFFIX = '.partial.json';

export const partialPath = (dest: string) => dest + PARTIAL_SUFFIX;
export const statePath = (dest: string) => dest + STATE_SUFFIX;

const StateSchema = z.object({
  version: z.literal(1),
  url: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  /** The server's ETag for the bytes so far; sent as If-Range so a changed file restarts. */
  etag: z.string().nullable(),
  startedAt: z.string(),
});
export type DownloadState = z.infer<typeof StateSchema>;

/** The saved state, or null when there is none or it is unreadable (then the partial is not trusted). */
export async function readState(dest: string): Promise<DownloadState | null> {
  try {
    const parsed = StateSchema.safeParse(JSON.parse(await readFile(statePath(dest), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function writeState(dest: string, state: DownloadState): Promise<void> {
  await writeFileAtomic(statePath(dest), JSON.stringify(state, null, 1) + '\n');
}

export async function removeState(dest: string): Promise<void> {
  await unlink(statePath(dest)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** A saved state belongs to this download when it names the same content. */
export function sameContent(state: DownloadState, size: number, sha256: string | null): boolean {
  return state.size === size && state.sha256 === sha256;
}
