// A button for something that cannot be undone: the first click asks, in place ("Discard the
// draft? Discard · Keep"), the second does it. No window.confirm: it blocks the page and cannot be styled.
import { useState } from 'react';

export function ConfirmButton(props: { label: string; question: string; confirmLabel: string; onConfirm: () => void; testId: string; title?: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn btn-small" data-testid={props.testId} title={props.title} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={props.question}>
      <span className="confirm-question">{props.question}</span>
      <button
        type="button"
        className="btn btn-small danger"
        data-testid={`${props.testId}-confirm`}
        autoFocus
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </button>
      <button type="button" className="btn btn-small" data-testid={`${props.testId}-cancel`} onClick={() => setAsking(false)}>
        Keep
      </button>
    </span>
  );
}
