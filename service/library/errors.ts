// Library errors: an ApiError (so they cross IPC and HTTP with a code and a plain message) that
// also says which problem it is, for callers that react differently (reload on conflict, offer
// "save as" for a broken file, ...).
import { ApiError, type ErrorCode } from '../../core/api/contract.js';

export type LibraryProblem =
  /** the template changed on disk, or the caller's version is stale */
  | 'conflict'
  /** the template's file fails validation; it is never overwritten */
  | 'broken-file'
  | 'disk-full'
  | 'read-only'
  | 'folder-missing'
  | 'not-found'
  /** the template (or an imported file) is not valid */
  | 'invalid'
  | 'io';

const CODES: Record<LibraryProblem, ErrorCode> = {
  conflict: 'conflict',
  'broken-file': 'invalid-argument',
  'disk-full': 'internal',
  'read-only': 'forbidden',
  'folder-missing': 'not-found',
  'not-found': 'not-found',
  invalid: 'invalid-argument',
  io: 'internal',
};

export class LibraryError extends ApiError {
  constructor(
    readonly problem: LibraryProblem,
    message: string,
  ) {
    super(CODES[problem], message);
    this.name = 'LibraryError';
  }
}

export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * Turn a failed file operation into a LibraryError that says what happened in words.
 * `action` completes "could not …", e.g. `save "Sentiment"`.
 */
export function ioError(error: unknown, action: string, folder: string, unchanged = true): LibraryError {
  if (error instanceof LibraryError) return error;
  const code = errnoCode(error);
  const tail = unchanged ? ' Nothing was changed; what was saved before is intact.' : '';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new LibraryError('disk-full', `The disk is full: could not ${action}.${tail}`);
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new LibraryError(
        'read-only',
        `The library folder ${folder} is read-only (or Shotglass may not write there): could not ${action}.${tail}`,
      );
    case 'ENOENT':
    case 'ENOTDIR':
      return new LibraryError('folder-missing', `The library folder ${folder} no longer exists: could not ${action}.${tail}`);
    default:
      return new LibraryError('io', `Could not ${action}: ${(error as Error)?.message ?? String(error)}.${tail}`);
  }
}
