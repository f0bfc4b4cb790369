// A modal dialog: Esc or the backdrop closes it, focus moves in when it opens and back when it closes.
import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: ReactNode;
  testId: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  actions?: ReactNode;
}

export function Dialog({ title, testId, onClose, children, wide, actions }: Props) {
  const panel = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      before?.focus?.();
    };
  }, []);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={panel} className={`dialog${wide ? ' dialog-wide' : ''}`} role="dialog" aria-modal="true" data-testid={testId} tabIndex={-1}>
        <header className="dialog-header">
          <h2 className="dialog-title">{title}</h2>
          {actions}
          <button type="button" className="btn-icon" aria-label="Close" data-testid={`${testId}-close`} onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
