// The template library: see README.md in this folder.
export { openLibrary, defaultLibraryDir, META_DIR, TemplateLibrary } from './library.js';
export type {
  BrokenEntry,
  LibraryEntry,
  LibraryEvent,
  LibraryOptions,
  LibraryStatus,
  TemplateDiff,
  TemplateEntry,
  TrashItem,
  VersionInfo,
} from './library.js';
export type { CodecResult, TemplateCodec } from '../../core/library/codec.js';
export { LibraryError, type LibraryProblem } from './errors.js';
export { FILE_FORMAT, MAX_TEMPLATE_BYTES, type VersionOrigin } from './file-format.js';
export { diffLines, splitLines, unifiedDiff, type DiffLine, type DiffOp } from '../../core/text/diff.js';
export { toYaml, parseYaml } from '../../core/library/yaml-format.js';
