// The draft kept from earlier work on the open template, offered above the editor: Restore puts it
// in the editor; Discard asks first. Nothing else replaces it until the user chooses.
import { formatAgo } from '../../lib/format';
import { useActions, useAppStore } from '../../store';
import { ConfirmButton } from '../ConfirmButton';

export function DraftOffer() {
  const offered = useAppStore((s) => s.template.offeredDraft);
  const savedVersion = useAppStore((s) => s.template.saved?.version ?? null);
  const { restoreOfferedDraft, discardDraft } = useActions();
  if (!offered) return null;
  const base = offered.base && savedVersion !== null && offered.base.version !== savedVersion ? ` (made on v${offered.base.version}; the library now has v${savedVersion})` : '';
  return (
    <div className="banner banner-draft" role="status" data-testid="draft-offer">
      <span className="grow">
        Unsaved changes from {formatAgo(offered.savedAt)}{base} are kept as a draft. Edits made before you choose are not kept.
      </span>
      <button type="button" className="btn btn-small btn-primary" data-testid="draft-restore" onClick={restoreOfferedDraft}>
        Restore
      </button>
      <ConfirmButton label="Discard…" question="Discard the draft for good?" confirmLabel="Discard" testId="draft-discard" onConfirm={() => void discardDraft(offered.key)} />
    </div>
  );
}
