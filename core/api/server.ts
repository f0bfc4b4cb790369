// Shotglass's own OpenAI-compatible server, switched on from the app.
import { z } from 'zod';
import type { MethodTable } from './common.js';
import type { ServerMethod } from './methods.js';

/** Input and output schemas by method name. */
export const serverMethods = {} satisfies MethodTable<ServerMethod>;

/** Events (each a z.object with a literal `type`). */
export const serverEvents = [] as const satisfies readonly z.ZodObject[];
