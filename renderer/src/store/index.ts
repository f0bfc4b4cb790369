export { createAppStore, type AppStore, type StoreOptions } from './create-store';
export { StoreProvider, useActions, useAppStore, useStoreApi } from './react';
export * from './selectors';
export type * from './types';
