// Monaco support for template fields, driven by the template core's own lexer (what is
// highlighted is exactly what assemble() fills in): {{variable}} highlighting (declared, undeclared,
// built-in, escaped), completion of variable names after `{{`, and diagnostics as markers.
import {
  EXAMPLE_FIELDS,
  isBuiltinVariable,
  scanEscapes,
  scanPlaceholders,
  type Diagnostic,
  type TemplateField,
} from '../../../core/prompt/index';
import { monaco } from './setup';

export const TEMPLATE_LANGUAGE = 'shotglass-template';

monaco.languages.register({ id: TEMPLATE_LANGUAGE });

export interface NameSuggestion {
  name: string;
  detail: string;
}

interface FieldContext {
  field: TemplateField;
  names(): NameSuggestion[];
}

const contexts = new Map<string, FieldContext>();

/** Tell completion which field a model edits and where its variable names come from. */
export function registerFieldModel(model: monaco.editor.ITextModel, context: FieldContext): () => void {
  const key = model.uri.toString();
  contexts.set(key, context);
  return () => {
    if (contexts.get(key) === context) contexts.delete(key);
  };
}

const OPEN_NAME = /\{\{[ \t]*([\p{L}_][\p{L}\p{M}\p{Nd}_.-]*)?$/u;
const NAME_REST = /^[\p{L}\p{M}\p{Nd}_.-]*/u;

monaco.languages.registerCompletionItemProvider(TEMPLATE_LANGUAGE, {
  triggerCharacters: ['{'],
  provideCompletionItems(model, position) {
    const context = contexts.get(model.uri.toString());
    if (!context) return { suggestions: [] };
    const line = model.getLineContent(position.lineNumber);
    const before = line.slice(0, position.column - 1);
    const open = OPEN_NAME.exec(before);
    if (!open) return { suggestions: [] };
    // An odd run of backslashes before `{{` makes it literal text: nothing to complete.
    const slashes = /\\*$/.exec(before.slice(0, open.index))?.[0].length ?? 0;
    if (slashes % 2 === 1) return { suggestions: [] };
    const typed = open[1] ?? '';
    const after = line.slice(position.column - 1);
    const rest = NAME_REST.exec(after)?.[0] ?? '';
    const closed = /^[ \t]*\}\}/.test(after.slice(rest.length));
    const range = new monaco.Range(position.lineNumber, position.column - typed.length, position.lineNumber, position.column + rest.length);
    return {
      suggestions: context.names().map((s, i) => ({
        label: s.name,
        kind: monaco.languages.CompletionItemKind.Variable,
        detail: s.detail,
        insertText: closed ? s.name : `${s.name}}}`,
        range,
        sortText: String(i).padStart(4, '0'),
      })),
    };
  },
});

/** Highlight every placeholder and escape in the model (call after each change; scanning is cheap). */
export function placeholderDecorations(
  model: monaco.editor.ITextModel,
  field: TemplateField,
  declared: ReadonlySet<string>,
): monaco.editor.IModelDeltaDecoration[] {
  const source = model.getValue();
  const inExample = EXAMPLE_FIELDS.includes(field);
  const out: monaco.editor.IModelDeltaDecoration[] = [];
  for (const p of scanPlaceholders(source)) {
    const builtin = inExample && isBuiltinVariable(p.name);
    const className = builtin ? 'tpl-builtin' : declared.has(p.name) ? 'tpl-var' : 'tpl-var-undeclared';
    out.push({
      range: new monaco.Range(p.startPosition.line, p.startPosition.column, p.endPosition.line, p.endPosition.column),
      options: { inlineClassName: className, stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges },
    });
  }
  for (const e of scanEscapes(source)) {
    out.push({
      range: new monaco.Range(e.startPosition.line, e.startPosition.column, e.endPosition.line, e.endPosition.column),
      options: { inlineClassName: 'tpl-escape', hoverMessage: { value: `renders as \`${e.renders}\`` } },
    });
  }
  return out;
}

const SEVERITY = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
} as const;

/** The diagnostics of one field as Monaco markers (those without a range mark the first line). */
export function setFieldMarkers(model: monaco.editor.ITextModel, diagnostics: readonly Diagnostic[]): void {
  const markers: monaco.editor.IMarkerData[] = diagnostics.map((d) => {
    const r = d.range;
    return r
      ? {
          severity: SEVERITY[d.severity],
          message: d.message,
          startLineNumber: r.startPosition.line,
          startColumn: r.startPosition.column,
          endLineNumber: r.endPosition.line,
          endColumn: r.endPosition.column,
        }
      : {
          severity: SEVERITY[d.severity],
          message: d.message,
          startLineNumber: 1,
          startColumn: 1,
          endLineNumber: 1,
          endColumn: model.getLineMaxColumn(1),
        };
  });
  monaco.editor.setModelMarkers(model, 'shotglass', markers);
}
