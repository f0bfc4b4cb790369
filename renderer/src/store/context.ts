// Shared plumbing for slices: typed set/get, the API, and a patch helper that replaces one slice
// object (the only copy a state change makes; big strings are shared, not copied).
import type { StoreApi } from 'zustand/vanilla';
import type { ShotglassApi } from '../../../core/api/contract';
import type { AppState } from './types';

type DataKey = Exclude<keyof AppState, 'actions'>;

export interface SliceContext {
  api: ShotglassApi;
  set: StoreApi<AppState>['setState'];
  get: StoreApi<AppState>['getState'];
  /** Monotonic milliseconds; injectable for tests. */
  now: () => number;
}

export function patch<K extends DataKey>(
  ctx: SliceContext,
  key: K,
  update: Partial<AppState[K]> | ((slice: AppState[K]) => Partial<AppState[K]>),
): void {
  ctx.set((state) => {
    const slice = state[key];
    const changes = typeof update === 'function' ? update(slice) : update;
    return { [key]: { ...slice, ...changes } } as Pick<AppState, K>;
  });
}

/** The words the backend wrote (BackendError.message), or a fallback for anything else. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'Something went wrong (no details).';
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
