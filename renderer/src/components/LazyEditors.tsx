// Monaco (about 3 MB of the bundle) is loaded after the first screen: these wrappers render the
// field's text read-only, at the editor's size and font, until the editor chunk arrives (a few
// hundred milliseconds later), so the workbench is on screen and runnable without waiting for it.
import { lazy, Suspense, type ComponentProps } from 'react';
import { fieldSource } from '../../../core/prompt/index';
import { useAppStore } from '../store';

const TemplateFieldEditor = lazy(() => import('./workbench/TemplateField').then((m) => ({ default: m.TemplateFieldEditor })));
const PromptEditor = lazy(() => import('./PromptEditor'));

type FieldProps = ComponentProps<typeof TemplateFieldEditor>;

function FieldPlaceholder({ field, placeholder, maxLines = 14 }: FieldProps) {
  const text = useAppStore((s) => fieldSource(s.template.draft, field));
  const lines = Math.min(maxLines, Math.max(1, text.split('\n').length));
  return (
    <pre className="field-editor field-editor-loading" aria-busy="true" style={{ height: lines * 19 + 10 }}>
      {text || <span className="field-editor-placeholder">{placeholder}</span>}
    </pre>
  );
}

export function LazyTemplateFieldEditor(props: FieldProps) {
  return (
    <Suspense fallback={<FieldPlaceholder {...props} />}>
      <TemplateFieldEditor {...props} />
    </Suspense>
  );
}

function PromptPlaceholder() {
  const text = useAppStore((s) => s.editor.prompt);
  return (
    <pre className="editor-fill field-editor-loading" aria-busy="true">
      {text}
    </pre>
  );
}

export function LazyPromptEditor() {
  return (
    <Suspense fallback={<PromptPlaceholder />}>
      <PromptEditor />
    </Suspense>
  );
}
