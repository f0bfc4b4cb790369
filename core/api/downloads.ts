// The model library: GGUF files on this machine, Hugging Face search and downloads.
import { z } from 'zod';
import type { MethodTable } from './common.js';
import type { DownloadMethod } from './methods.js';

/** Input and output schemas by method name. */
export const downloadMethods = {} satisfies MethodTable<DownloadMethod>;

/** Events (each a z.object with a literal `type`). */
export const downloadEvents = [] as const satisfies readonly z.ZodObject[];
