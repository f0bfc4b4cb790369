// The prompt-template core, shared by the renderer (editor, live preview) and the backend (runs,
// library). Pure TypeScript: no Node or Electron imports anywhere in this folder.
export * from './template.js';
export * from './variables.js';
export * from './technique.js';
export * from './assemble.js';
export * from './extract.js';
export * from '../sampling/presets.js';
export * from './starters.js';
export * from './lint.js';
export * from './run.js';
export { sha256Hex, utf8Bytes } from './hash.js';
export { formatIssue, formatIssues } from './issues.js';
