import type { ApiHandlers, BackendEvent } from '../api/contract.js';
import type { SpawnHost } from '../host/channel.js';

export interface BackendOptions {
  mode: 'electron' | 'browser' | 'cli';
  spawnHost: SpawnHost;
  /** The bundled demo model, registered at start-up when present. */
  demoModelPath?: string;
  /** Electron's native file dialog; absent in browser mode. */
  pickModelFile?: () => Promise<string | null>;
  version: string;
}

export interface Backend {
  readonly handlers: ApiHandlers;
  onEvent(listener: (event: BackendEvent) => void): () => void;
  /** The supervised inference process (its pid, and a way to end it on purpose). */
  readonly host: { readonly pid: number | undefined; kill(): void };
  dispose(): Promise<void>;
}
