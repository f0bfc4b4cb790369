// The centre column: Template | Raw, the template's name and save state, and its editor.
import { isMac } from '../../lib/format';
import { useActions, useAppStore } from '../../store';
import { InlineAlert } from '../InlineAlert';
import { LazyPromptEditor as PromptEditor } from '../LazyEditors';
import { Segmented } from '../Segmented';
import { DraftOffer } from './DraftOffer';
import { TemplateEditor } from './TemplateEditor';


const TABS = [
  { value: 'template', label: 'Template', title: 'Build the prompt from a template' },
  { value: 'raw', label: 'Raw', title: 'Send one text exactly as written' },
] as const;

export function WorkspacePane() {
  const tab = useAppStore((s) => s.editor.tab);
  const { setTab } = useActions();
  return (
    <section className="pane workspace-pane" aria-label="Prompt">
      <header className="pane-header">
        <Segmented label="Editor" value={tab} options={TABS} onChange={setTab} testIdPrefix="tab" size="small" />
        {tab === 'template' ? <TemplateButtons /> : <RawStats />}
      </header>
      {tab === 'template' ? (
        <>
          <TemplateTitle />
          <DraftOffer />
          <SaveProblems />
          <div className="pane-scroll">
            <TemplateEditor />
          </div>
        </>
      ) : (
        <div className="editor-host" data-testid="prompt-editor">
          <PromptEditor />
        </div>
      )}
    </section>
  );
}

function RawStats() {
  const chars = useAppStore((s) => s.editor.prompt.length);
  return <span className="pane-meta">{chars.toLocaleString()} chars · sent exactly as written</span>;
}

/** The name on a row of its own, as wide as the pane, so it is never cut by the buttons. */
function TemplateTitle() {
  const name = useAppStore((s) => s.template.draft.name);
  const { updateTemplate } = useActions();
  return (
    <div className="template-title-row">
      <input
        type="text"
        className="template-name"
        data-testid="template-name"
        aria-label="Template name"
        spellCheck={false}
        value={name}
        onChange={(e) => updateTemplate({ name: e.target.value })}
      />
      <SaveState />
    </div>
  );
}

function TemplateButtons() {
  const { saveTemplate, openDialog, compareWithCurrent, undoTemplate, redoTemplate } = useActions();
  const canUndo = useAppStore((s) => s.template.past.length > 0);
  const canRedo = useAppStore((s) => s.template.future.length > 0);
  const mod = isMac() ? '⌘' : 'Ctrl';
  return (
    <>
      <span className="toolbar-spacer" />
      <button type="button" className="btn-icon" data-testid="template-undo" aria-label="Undo" title={`Undo a template edit: examples, mode, technique, variables, fields (${mod}+Z outside a text field)`} disabled={!canUndo} onClick={undoTemplate}>
        ↶
      </button>
      <button type="button" className="btn-icon" data-testid="template-redo" aria-label="Redo" title={`Redo (${mod}+Shift+Z outside a text field)`} disabled={!canRedo} onClick={redoTemplate}>
        ↷
      </button>
      <button type="button" className="btn btn-small" data-testid="save-button" title={`Save a new version (${mod}+S)`} onClick={() => void saveTemplate()}>
        Save
      </button>
      <button type="button" className="btn btn-small" data-testid="compare-with" title="Compare this template with a copy (variant B), side by side" onClick={compareWithCurrent}>
        Compare with…
      </button>
      <button type="button" className="btn btn-small" data-testid="new-from-starter" title="A new template: blank, or from a starter" onClick={() => openDialog('starters')}>
        New…
      </button>
    </>
  );
}

function SaveState() {
  const saved = useAppStore((s) => s.template.saved);
  const dirty = useAppStore((s) => s.template.dirty);
  const saving = useAppStore((s) => s.template.saving);
  const text = saving ? 'saving…' : !saved ? 'not saved' : dirty ? `v${saved.version} · edited` : `v${saved.version} · saved`;
  const tone = saving ? 'busy' : !saved || dirty ? 'dirty' : 'clean';
  return (
    <span className={`save-state save-state-${tone}`} data-testid="save-state" title={saved ? `${saved.file}, saved ${new Date(saved.savedAt).toLocaleString()}` : 'Save to keep it in the library'}>
      {text}
    </span>
  );
}

function SaveProblems() {
  const conflict = useAppStore((s) => s.template.conflict);
  const saveError = useAppStore((s) => s.template.saveError);
  const draftError = useAppStore((s) => s.template.draftError);
  const { reloadTemplate, saveTemplateAsCopy } = useActions();
  if (conflict) {
    return (
      <div className="banner banner-conflict" role="alert" data-testid="save-conflict">
        <span>
          Not saved: {conflict} Reload it (your changes are kept as a draft, offered once it is reloaded), or save yours as a copy.
        </span>
        <button type="button" className="btn btn-small" data-testid="conflict-reload" onClick={() => void reloadTemplate()}>
          Reload
        </button>
        <button type="button" className="btn btn-small" data-testid="conflict-copy" onClick={() => void saveTemplateAsCopy()}>
          Save as copy
        </button>
      </div>
    );
  }
  if (saveError) {
    return (
      <InlineAlert testId="save-error">
        Not saved: {saveError}
      </InlineAlert>
    );
  }
  if (draftError) {
    return <InlineAlert testId="draft-error">Unsaved changes cannot be kept as a draft: {draftError} Save (Ctrl+S) to keep them.</InlineAlert>;
  }
  return null;
}
