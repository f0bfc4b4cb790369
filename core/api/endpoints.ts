// Remote OpenAI-compatible endpoints that variants can run on.
import { z } from 'zod';
import type { MethodTable } from './common.js';
import type { EndpointMethod } from './methods.js';

/** Input and output schemas by method name. */
export const endpointMethods = {} satisfies MethodTable<EndpointMethod>;

/** Events (each a z.object with a literal `type`). */
export const endpointEvents = [] as const satisfies readonly z.ZodObject[];
