// History errors: an ApiError (code + plain message across IPC/HTTP) that also says which problem.
import { ApiError, type ErrorCode } from '../../core/api/contract.js';

export type HistoryProblem =
  /** the file at the history path is not an SQLite database, or not Shotglass's */
  | 'not-a-database'
  /** SQLite reports the database damaged */
  | 'corrupt'
  /** made by a newer Shotglass (schema version above what this one knows) */
  | 'newer-schema'
  | 'read-only'
  | 'disk-full'
  | 'busy'
  | 'not-found'
  | 'invalid'
  | 'io';

const CODES: Record<HistoryProblem, ErrorCode> = {
  'not-a-database': 'invalid-argument',
  corrupt: 'internal',
  'newer-schema': 'invalid-argument',
  'read-only': 'forbidden',
  'disk-full': 'internal',
  busy: 'internal',
  'not-found': 'not-found',
  invalid: 'invalid-argument',
  io: 'internal',
};

export class HistoryError extends ApiError {
  constructor(
    readonly problem: HistoryProblem,
    message: string,
  ) {
    super(CODES[problem], message);
    this.name = 'HistoryError';
  }
}

/** An SQLite error as a HistoryError; `action` completes "could not …". */
export function sqliteError(error: unknown, action: string, path: string): HistoryError {
  if (error instanceof HistoryError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') {
    return new HistoryError('disk-full', `The disk is full: could not ${action}. The history saved before is intact.`);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EROFS') {
    return new HistoryError('read-only', `Could not ${action}: the history database ${path} cannot be written (read-only file or folder?).`);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new HistoryError(
      'corrupt',
      `Could not ${action}: the history database ${path} is damaged (SQLite: ${message}). Shotglass has not changed it; you can move it aside and start a new history.`,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new HistoryError('busy', `Could not ${action}: the history database ${path} is in use by another program.`);
  }
  return new HistoryError('io', `Could not ${action}: ${message}.`);
}
