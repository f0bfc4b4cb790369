// A numeric input that lets the user type freely but only ever commits valid values: out-of-range
// numbers are clamped (with a note), anything else shows a message and keeps the last good value.
import { useId, useState, type ReactNode } from 'react';
import { parseField } from '../store/sampling';

interface Props {
  label: string;
  value: number | undefined;
  spec: Parameters<typeof parseField>[1];
  step: number;
  onCommit(value: number | undefined): void;
  testId?: string;
  placeholder?: string;
  title?: string;
  /** e.g. a slider, rendered between the label and the input */
  children?: ReactNode;
  width?: 'narrow' | 'wide';
}

export function NumberField({ label, value, spec, step, onCommit, testId, placeholder, title, children, width = 'narrow' }: Props) {
  const id = useId();
  // null: show the committed value; a string: what the user is typing right now.
  const [draft, setDraft] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; kind: 'note' | 'error' } | null>(null);
  const shown = draft ?? (value === undefined ? '' : String(value));

  const onChange = (raw: string) => {
    setDraft(raw);
    const parsed = parseField(raw, spec);
    if (parsed.ok) {
      onCommit(parsed.value);
      setMessage(parsed.note ? { text: parsed.note, kind: 'note' } : null);
    } else {
      setMessage({ text: parsed.message, kind: 'error' });
    }
  };
  const settle = () => {
    setDraft(null);
    setMessage(null);
  };

  return (
    <div className="control" title={title}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      <input
        id={id}
        data-testid={testId}
        className={`num-input num-input-${width}${message?.kind === 'error' ? ' invalid' : ''}`}
        type="number"
        inputMode="decimal"
        min={spec.min}
        max={spec.max}
        step={step}
        placeholder={placeholder}
        value={shown}
        aria-invalid={message?.kind === 'error'}
        onChange={(e) => onChange(e.target.value)}
        onBlur={settle}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) settle();
        }}
      />
      {message && (
        <span className={`field-message field-message-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </span>
      )}
    </div>
  );
}
