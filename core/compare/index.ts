// Comparing outputs: pure functions shared by the UI, the CLI and exports.
export * from './divergence.js';
export * from './consistency.js';
export * from './export.js';
export * from './probability.js';
export * from './special-tokens.js';
