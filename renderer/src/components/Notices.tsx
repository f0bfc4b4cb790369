// Short notices in the corner (deleted, imported…), with Undo/Restore where it applies.
// Each fades after a while; hovering keeps it.
import { memo, useEffect, useState } from 'react';
import { useActions, useAppStore } from '../store';
import type { Notice } from '../store/types';

const LIFETIME_MS = 10_000;

export function Notices() {
  const notices = useAppStore((s) => s.ui.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} />
      ))}
    </div>
  );
}

const NoticeItem = memo(function NoticeItem({ notice }: { notice: Notice }) {
  const { dismissNotice, runNoticeAction } = useActions();
  const [hovered, setHovered] = useState(false);
  useEffect(() => {
    if (hovered) return;
    const timer = setTimeout(() => dismissNotice(notice.id), notice.tone === 'error' ? LIFETIME_MS * 2 : LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [hovered, notice.id, notice.tone, dismissNotice]);
  return (
    <div className={`notice notice-${notice.tone}`} data-testid="notice" role={notice.tone === 'error' ? 'alert' : 'status'} onMouseEnter={() => setHovered(true)} onMouseLeave={() => setHovered(false)}>
      <span className="notice-text">{notice.text}</span>
      {notice.action ? (
        <button type="button" className="btn btn-small" data-testid="notice-action" onClick={() => runNoticeAction(notice.id)}>
          {notice.action.label}
        </button>
      ) : null}
      <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => dismissNotice(notice.id)}>
        ×
      </button>
    </div>
  );
});
