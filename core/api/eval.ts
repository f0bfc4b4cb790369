// Evaluations: prompt variants over a dataset of test cases, with checks and statistics.
import { z } from 'zod';
import type { MethodTable } from './common.js';
import type { EvalMethod } from './methods.js';

/** Input and output schemas by method name. */
export const evalMethods = {} satisfies MethodTable<EvalMethod>;

/** Events (each a z.object with a literal `type`). */
export const evalEvents = [] as const satisfies readonly z.ZodObject[];
