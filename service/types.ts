import type { ApiHandlers, ApiInput, ApiOutput, ServiceEvent, Accelerator } from '../core/api/contract.js';
import type { ApiMethod } from '../core/api/methods.js';
import type { SpawnHost } from '../host/channel.js';

export interface ServiceOptions {
  mode: 'electron' | 'browser' | 'cli';
  spawnHost: SpawnHost;
  /** The bundled demo model, registered at start-up when present. */
  demoModelPath?: string;
  /** Electron's native file dialog; absent in browser mode. */
  pickModelFile?: () => Promise<string | null>;
  version: string;
  /** where the backend keeps small caches (model file hashes); none: in memory only */
  dataDir?: string;
  /** the compute backend to start with (default auto) */
  backend?: Accelerator;
}

/** The API for in-process callers (CLI, tests): inputs validated and defaulted as over IPC/HTTP. */
export type DirectApi = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> };

export interface Service {
  /** handlers take inputs already validated by the transport */
  readonly handlers: ApiHandlers;
  readonly api: DirectApi;
  onEvent(listener: (event: ServiceEvent) => void): () => void;
  /** The supervised inference process (its pid, and a way to end it on purpose). */
  readonly host: { readonly pid: number | undefined; kill(): void };
  dispose(): Promise<void>;
}
