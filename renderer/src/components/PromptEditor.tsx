// The raw prompt in Monaco (the Raw tab). Monaco is bundled with the app and created directly,
// so the editor is there in the same frame as the tab. Monaco owns the text while typing; the
// store gets every change, and text set from outside (e.g. window.__shotglassSetPrompt) is pushed
// into the editor as an undoable edit.
import { useLayoutEffect, useRef } from 'react';
import { monaco, MONACO_THEME } from '../monaco/setup';
import { useActions, useStoreApi } from '../store';

const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  theme: MONACO_THEME,
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
  ariaLabel: 'Raw prompt',
};

export default function PromptEditor() {
  const host = useRef<HTMLDivElement>(null);
  const store = useStoreApi();
  const { setPrompt } = useActions();
  const setRef = useRef(setPrompt);
  setRef.current = setPrompt;

  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return;
    const model = monaco.editor.createModel(store.getState().editor.prompt, 'plaintext');
    const editor = monaco.editor.create(element, { ...OPTIONS, model });
    let applying = false;
    const changes = model.onDidChangeContent(() => {
      if (!applying) setRef.current(model.getValue());
    });
    const unsubscribe = store.subscribe((state, previous) => {
      const text = state.editor.prompt;
      if (text === previous.editor.prompt || text === model.getValue()) return;
      applying = true;
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      applying = false;
    });
    editor.focus();
    return () => {
      unsubscribe();
      changes.dispose();
      editor.dispose();
      model.dispose();
    };
  }, [store]);

  return <div ref={host} className="editor-fill" />;
}
