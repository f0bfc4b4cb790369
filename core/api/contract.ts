// The one contract between renderer and backend: every request, response and event, as zod
// schemas (validated at runtime on the backend side of IPC and HTTP) and the types inferred from
// them (used by the renderer, preload, Electron main, browser-mode server and CLI alike).
// Each domain keeps its schemas, methods and events in its own file (core/api/<domain>.ts; the
// names in methods.ts); this file puts them together and says how inputs are checked.
import { z } from 'zod';
import { compareMethods } from './compare.js';
import { downloadEvents, downloadMethods } from './downloads.js';
import { draftMethods } from './drafts.js';
import { endpointEvents, endpointMethods } from './endpoints.js';
import { ApiError, type ApiErrorData, type Envelope } from './errors.js';
import { evalEvents, evalMethods } from './eval.js';
import { historyEvents, historyMethods } from './history.js';
import { libraryEvents, libraryMethods } from './library.js';
import type { ApiMethod } from './methods.js';
import { modelEvents, modelMethods } from './models.js';
import { runEvents, runMethods } from './runs.js';
import { serverEvents, serverMethods } from './server.js';

export * from '../sampling/sampling.js';
export * from './common.js';
export * from './compare.js';
export * from './downloads.js';
export * from './drafts.js';
export * from './endpoints.js';
export * from './errors.js';
export * from './eval.js';
export * from './history.js';
export * from './library.js';
export * from './models.js';
export * from './prompts.js';
export * from './runs.js';
export * from './server.js';

export const contract = {
  ...modelMethods,
  ...runMethods,
  ...compareMethods,
  ...libraryMethods,
  ...draftMethods,
  ...historyMethods,
  ...evalMethods,
  ...endpointMethods,
  ...serverMethods,
  ...downloadMethods,
} satisfies Record<ApiMethod, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type ApiInput<M extends ApiMethod> = z.input<Contract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<Contract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<Contract[M]['output']>;

/** The API as the renderer sees it, whatever carries it. */
export type ShotglassApi = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> } & {
  /** Subscribe to backend events; returns an unsubscribe function. */
  onEvent(listener: (event: ServiceEvent) => void): () => void;
};

/** What a backend implements: inputs arrive already validated. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

/** Every event the backend sends, from every domain. */
export const BackendEventSchema = z.discriminatedUnion('type', [
  ...modelEvents,
  ...runEvents,
  ...libraryEvents,
  ...historyEvents,
  ...evalEvents,
  ...endpointEvents,
  ...serverEvents,
  ...downloadEvents,
]);
export type ServiceEvent = z.infer<typeof BackendEventSchema>;

/** Validate a method's input; throws ApiError('invalid-argument') naming the field. */
export function parseInput<M extends ApiMethod>(method: M, raw: unknown): ApiParsedInput<M> {
  const result = contract[method].input.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length ? issue.path.join('.') : 'input';
    throw new ApiError('invalid-argument', `${field} ${issue?.message ?? 'is malformed'}`);
  }
  return result.data as ApiParsedInput<M>;
}

/**
 * What the Electron preload exposes as `window.shotglass`: one function per method, returning the
 * envelope as it crossed IPC (errors keep their code; contextBridge would strip it from an Error).
 */
export type ShotglassBridge = {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<Envelope<ApiOutput<M>>>;
} & {
  onEvent(listener: (event: ServiceEvent) => void): () => void;
};
export type { ApiErrorData };
