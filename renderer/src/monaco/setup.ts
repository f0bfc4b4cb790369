// Monaco from the local package (never a CDN: the CSP forbids it and the app must work offline).
//
// editor.api is the bare editor; editor.main would add ~80 languages and 60 contributions made for
// code. A prompt is plain text, so only editing essentials are pulled in.
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import 'monaco-editor/esm/vs/editor/browser/coreCommands.js';
import 'monaco-editor/esm/vs/editor/browser/widget/codeEditor/codeEditorWidget.js';
import 'monaco-editor/esm/vs/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/esm/vs/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/esm/vs/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/esm/vs/editor/contrib/find/browser/findController.js';
import 'monaco-editor/esm/vs/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/multicursor/browser/multicursor.js';
import 'monaco-editor/esm/vs/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/unicodeHighlighter/browser/unicodeHighlighter.js';
import 'monaco-editor/esm/vs/editor/common/standaloneStrings.js';
// Template fields: completion of {{variables}}, hovers over diagnostics, placeholder text.
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/esm/vs/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/esm/vs/editor/contrib/placeholderText/browser/placeholderText.contribution.js';
// F8 / Alt+F8 (and "View Problem" in a hover) step through the diagnostics.
import 'monaco-editor/esm/vs/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon-modifiers.css';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';

// Plain text only needs the generic editor worker (diffing, word ranges). Should a worker be
// refused (e.g. a file:// origin), Monaco runs the same code on the main thread instead.
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export const MONACO_THEME = 'shotglass-dark';

monaco.editor.defineTheme(MONACO_THEME, {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#15171c',
    'editor.foreground': '#d7dae0',
    'editor.lineHighlightBackground': '#1c1f26',
    'editor.lineHighlightBorder': '#00000000',
    'editor.selectionBackground': '#2f4a6d',
    'editorCursor.foreground': '#7aa2f7',
    'editorLineNumber.foreground': '#454b57',
    'editorLineNumber.activeForeground': '#8a93a3',
    'editorWidget.background': '#1c1f26',
    'editorWidget.border': '#2a2e37',
    'scrollbarSlider.background': '#2a2e3780',
    'scrollbarSlider.hoverBackground': '#3a3f4b90',
    'editorSuggestWidget.background': '#1c1f26',
    'editorSuggestWidget.border': '#3a3f4b',
    'editorSuggestWidget.selectedBackground': '#2f4a6d',
    'editorHoverWidget.background': '#1c1f26',
    'editorHoverWidget.border': '#3a3f4b',
    'editorWarning.foreground': '#e0af68',
    'editorError.foreground': '#f7768e',
    'editorInfo.foreground': '#7aa2f7',
    'editor.placeholder.foreground': '#5c6370',
  },
});

export { monaco };
