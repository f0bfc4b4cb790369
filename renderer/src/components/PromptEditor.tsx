// The prompt in Monaco. Bundled with the app rather than lazily loaded: the editor is the heart
// of the first screen and must be ready when the model list is (a local app pays no download).
// Monaco owns the text while typing; the store gets every change, and text set from outside
// (e.g. window.__shotglassSetPrompt) is pushed into the editor as an undoable edit.
import Editor, { type OnMount } from '@monaco-editor/react';
import { MONACO_THEME } from '../monaco/setup';
import { useActions, useStoreApi } from '../store';

const OPTIONS = {
  wordWrap: 'on',
  minimap: { enabled: false },
  lineNumbers: 'on',
  lineNumbersMinChars: 3,
  lineDecorationsWidth: 6,
  glyphMargin: false,
  folding: false,
  renderLineHighlight: 'line',
  scrollBeyondLastLine: false,
  fontSize: 13,
  lineHeight: 20,
  fontFamily: "ui-monospace, 'JetBrains Mono', 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
  padding: { top: 8, bottom: 8 },
  automaticLayout: true,
  renderWhitespace: 'trailing',
  unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: true },
  quickSuggestions: false,
  wordBasedSuggestions: 'off',
  occurrencesHighlight: 'off',
  contextmenu: true,
  scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
  overviewRulerLanes: 0,
  tabSize: 2,
  fixedOverflowWidgets: true,
} as const;

export default function PromptEditor() {
  const store = useStoreApi();
  const { setPrompt } = useActions();

  const onMount: OnMount = (editor) => {
    const unsubscribe = store.subscribe((state, previous) => {
      const text = state.editor.prompt;
      const model = editor.getModel();
      if (!model || text === previous.editor.prompt || text === model.getValue()) return;
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    });
    editor.onDidDispose(unsubscribe);
    editor.focus();
  };

  return (
    <Editor
      defaultValue={store.getState().editor.prompt}
      defaultLanguage="plaintext"
      theme={MONACO_THEME}
      options={OPTIONS}
      onMount={onMount}
      onChange={(value) => setPrompt(value ?? '')}
      loading={<div className="pane-placeholder">Loading editor…</div>}
    />
  );
}
