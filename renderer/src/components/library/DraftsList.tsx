// Templates never saved, kept as drafts in the data folder: listed above the library so they can be
// reopened after switching away, a reload or a restart; Discard asks first.
import { formatAgo } from '../../lib/format';
import { useActions, useAppStore } from '../../store';
import { isNewDraftKey } from '../../store/drafts';
import { ConfirmButton } from '../ConfirmButton';

export function DraftsList() {
  const drafts = useAppStore((s) => s.library.drafts);
  const openKey = useAppStore((s) => s.template.draftKey);
  const { openDraft, discardDraft } = useActions();
  const unsaved = drafts.filter((d) => isNewDraftKey(d.key) && d.key !== openKey);
  if (unsaved.length === 0) return null;
  return (
    <section className="drafts" aria-label="Unsaved drafts">
      <h3 className="sidebar-heading">Unsaved drafts</h3>
      <ul className="entry-list">
        {unsaved.map((d) => (
          <li key={d.key} className="entry entry-draft" data-testid="draft-item" data-name={d.name}>
            <button type="button" className="entry-main entry-open" data-testid="draft-open" title="Open the draft" onClick={() => void openDraft(d.key)}>
              <span className="entry-name">{d.name}</span>
              <span className="entry-version">{formatAgo(d.savedAt)}</span>
            </button>
            <div className="entry-actions">
              <ConfirmButton label="discard…" question="Discard this draft for good?" confirmLabel="Discard" testId="draft-item-discard" onConfirm={() => void discardDraft(d.key)} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
