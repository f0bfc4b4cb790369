// An error in words, shown where it happened, with an optional dismiss button.
import type { ReactNode } from 'react';

export function InlineAlert(props: { testId: string; className?: string; children: ReactNode; onDismiss?: () => void }) {
  return (
    <div className={`inline-alert ${props.className ?? ''}`.trim()} role="alert">
      <span className="inline-alert-icon" aria-hidden>
        !
      </span>
      <span data-testid={props.testId} className="inline-alert-text">
        {props.children}
      </span>
      {props.onDismiss && (
        <button type="button" className="btn-icon" aria-label="Dismiss" onClick={props.onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
