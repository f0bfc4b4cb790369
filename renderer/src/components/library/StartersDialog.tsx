// "New from starter": the classic layouts, ready to run.
import { STARTERS, TECHNIQUE_LABELS, type Template } from '../../../../core/prompt/index';
import { useActions, useAppStore } from '../../store';
import { Dialog } from '../Dialog';

/** A starter's stable id (the backend lists templates only): by name, else a slug. */
export function starterId(template: Template): string {
  return STARTERS.find((s) => s.template.name === template.name)?.id ?? template.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function StartersDialog() {
  const starters = useAppStore((s) => s.library.starters);
  const { newFromStarter, newTemplate, openDialog } = useActions();
  return (
    <Dialog title="New template" testId="starters-dialog" onClose={() => openDialog(null)} wide>
      {starters.length === 0 ? <div className="pane-placeholder">Loading starters…</div> : null}
      <div className="starter-grid">
        <button
          type="button"
          className="starter starter-blank"
          data-testid="new-template"
          onClick={() => {
            newTemplate();
            openDialog(null);
          }}
        >
          <span className="starter-name">Blank</span>
          <span className="starter-description">Zero-shot completion over one variable, {'{{text}}'}: build it up from there.</span>
        </button>
        {starters.map((t) => (
          <button key={t.name} type="button" className="starter" data-testid={`starter-${starterId(t)}`} onClick={() => newFromStarter(t)}>
            <span className="starter-name">{t.name}</span>
            <span className="starter-description">{t.description}</span>
            <span className="starter-meta">
              <span className="mini-tag">{t.mode}</span>
              <span className="mini-tag">{TECHNIQUE_LABELS[t.technique]}</span>
              <span className="mini-tag">{t.examples.length} examples</span>
              {t.constraint ? <span className="mini-tag">{t.constraint.type}</span> : null}
            </span>
          </button>
        ))}
      </div>
    </Dialog>
  );
}
