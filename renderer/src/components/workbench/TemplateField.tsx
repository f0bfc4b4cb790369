// One templated field (system, instruction, example format, input, chain-of-thought parts) in its
// own small Monaco editor that grows with its text. Monaco owns the text while typing; the store
// gets every change. Text changed from outside (another template loaded) is pushed in: as a fresh
// undo history when a different template was loaded, as an undoable edit otherwise.
import { useLayoutEffect, useRef } from 'react';
import { BUILTIN_VARIABLES, EXAMPLE_FIELDS, fieldSource, usedVariableNames, type TemplateField } from '../../../../core/prompt/index';
import { monaco, MONACO_THEME } from '../../monaco/setup';
import { placeholderDecorations, registerFieldModel, setFieldMarkers, TEMPLATE_LANGUAGE } from '../../monaco/template-language';
import { useActions, useStoreApi } from '../../store';
import type { AppState } from '../../store/types';

const LINE_HEIGHT = 19;

const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  theme: MONACO_THEME,
  wordWrap: 'on',
  minimap: { enabled: false },
  lineNumbers: 'off',
  lineDecorationsWidth: 8,
  glyphMargin: false,
  folding: false,
  renderLineHighlight: 'none',
  scrollBeyondLastLine: false,
  fontSize: 13,
  lineHeight: LINE_HEIGHT,
  fontFamily: "ui-monospace, 'JetBrains Mono', 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
  padding: { top: 5, bottom: 5 },
  automaticLayout: true,
  renderWhitespace: 'trailing',
  unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: true },
  quickSuggestions: false,
  suggestOnTriggerCharacters: true,
  wordBasedSuggestions: 'off',
  occurrencesHighlight: 'off',
  contextmenu: true,
  overviewRulerLanes: 0,
  hideCursorInOverviewRuler: true,
  scrollbar: { verticalScrollbarSize: 8, horizontalScrollbarSize: 8, alwaysConsumeMouseWheel: false, useShadows: false },
  // Tab moves to the next field, as in a form (prompts rarely need a tab character).
  tabFocusMode: true,
  fixedOverflowWidgets: true,
  tabSize: 2,
};

interface Props {
  field: TemplateField;
  label: string;
  placeholder?: string;
  testId: string;
  /** the editor grows up to this many lines, then scrolls */
  maxLines?: number;
}

const diagnosticsOf = (s: AppState, field: TemplateField) => s.preview.diagnostics.filter((d) => d.field === field);

export function TemplateFieldEditor({ field, label, placeholder, testId, maxLines = 14 }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const store = useStoreApi();
  const { setTemplateField } = useActions();
  const setRef = useRef(setTemplateField);
  setRef.current = setTemplateField;

  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return;
    const initial = store.getState();
    const model = monaco.editor.createModel(fieldSource(initial.template.draft, field), TEMPLATE_LANGUAGE);
    const editor = monaco.editor.create(element, { ...OPTIONS, model, placeholder, ariaLabel: label });
    const decorations = editor.createDecorationsCollection();
    let applying = false;

    const declared = () => new Set(store.getState().template.draft.variables.map((v) => v.name));
    const decorate = () => decorations.set(placeholderDecorations(model, field, declared()));
    const unregister = registerFieldModel(model, {
      field,
      names() {
        const { draft } = store.getState().template;
        const used = usedVariableNames(draft);
        const out = draft.variables.map((v) => ({ name: v.name, detail: v.description || (v.default !== undefined ? `default: ${v.default.slice(0, 40)}` : 'declared variable') }));
        for (const name of used) if (!out.some((o) => o.name === name)) out.push({ name, detail: 'used, not declared' });
        if (EXAMPLE_FIELDS.includes(field)) {
          for (const name of BUILTIN_VARIABLES) out.push({ name, detail: 'filled in from each example' });
        }
        return out;
      },
    });

    const fit = () => {
      const max = maxLines * LINE_HEIGHT + 10;
      const height = Math.max(LINE_HEIGHT + 10, Math.min(max, editor.getContentHeight()));
      if (element.style.height !== `${height}px`) {
        element.style.height = `${height}px`;
        editor.layout({ width: element.clientWidth, height });
      }
    };

    const disposables = [
      editor.onDidContentSizeChange(fit),
      model.onDidChangeContent(() => {
        decorate();
        if (!applying) setRef.current(field, model.getValue());
      }),
    ];
    decorate();
    setFieldMarkers(model, diagnosticsOf(initial, field));
    fit();

    const unsubscribe = store.subscribe((state, previous) => {
      const text = fieldSource(state.template.draft, field);
      if (state.template.draft !== previous.template.draft && text !== model.getValue()) {
        applying = true;
        if (state.template.loadCount !== previous.template.loadCount) model.setValue(text);
        else model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
        applying = false;
      }
      if (state.template.draft.variables !== previous.template.draft.variables) decorate();
      if (state.preview.diagnostics !== previous.preview.diagnostics) setFieldMarkers(model, diagnosticsOf(state, field));
    });

    return () => {
      unsubscribe();
      unregister();
      for (const d of disposables) d.dispose();
      editor.dispose();
      model.dispose();
    };
  }, [store, field, label, placeholder, maxLines]);

  return <div ref={host} className="field-editor" data-testid={testId} />;
}
