// Errors as they cross IPC and HTTP: a code the caller can act on and a message in words.
import { z } from 'zod';

export const ErrorCodeSchema = z.enum([
  'invalid-argument',
  'not-found',
  'model-error',
  'host-crashed',
  'cancelled',
  /** what the request would change has changed since it was read (reload, then retry) */
  'conflict',
  'forbidden',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
export const ApiErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });
export type ApiErrorData = z.infer<typeof ApiErrorSchema>;

/** What crosses IPC and HTTP: a value or an error that keeps its code. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toJSON(): ApiErrorData {
    return { code: this.code, message: this.message };
  }
}

/** Turn anything thrown into the error shape that crosses the wire. */
export function toApiError(error: unknown): ApiErrorData {
  if (error instanceof ApiError) return error.toJSON();
  // A Node system error names a path and a syscall ("EACCES: permission denied, open '/…/x.tmp'"):
  // the user gets what went wrong in words, never the raw message.
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^(E[A-Z]+|ERR_[A-Z_]+)$/.test(code)) {
    return { code: 'internal', message: `a file operation failed (${SYSTEM_ERRORS[code] ?? code})` };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'a file or folder is missing',
  ENOTDIR: 'a folder is missing',
  EISDIR: 'a folder is where a file should be',
  EMFILE: 'too many open files',
  EBUSY: 'a file is busy',
  ELOOP: 'a symbolic link loops',
  ERR_INVALID_ARG_VALUE: 'an invalid path',
  ERR_INVALID_ARG_TYPE: 'an invalid path',
};
