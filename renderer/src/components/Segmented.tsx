// A row of mutually exclusive buttons (a radio group that looks like a switch).
interface Option<T extends string> {
  value: T;
  label: string;
  title?: string;
}

interface Props<T extends string> {
  label: string;
  value: T;
  options: readonly Option<T>[];
  onChange(value: T): void;
  testIdPrefix: string;
  /** the group's own test id (its buttons carry data-value) */
  testId?: string;
  size?: 'small';
}

export function Segmented<T extends string>({ label, value, options, onChange, testIdPrefix, testId, size }: Props<T>) {
  return (
    <div
      className={`segmented${size ? ` segmented-${size}` : ''}`}
      role="radiogroup"
      aria-label={label}
      data-testid={testId}
      onKeyDown={(e) => {
        // Arrow keys move the choice, as in any radio group.
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        const at = options.findIndex((o) => o.value === value);
        const next = options[(at + (e.key === 'ArrowRight' ? 1 : options.length - 1)) % options.length];
        if (!next) return;
        onChange(next.value);
        const buttons = e.currentTarget.querySelectorAll<HTMLButtonElement>('button');
        buttons[options.indexOf(next)]?.focus();
      }}
    >
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          tabIndex={o.value === value ? 0 : -1}
          className={o.value === value ? 'active' : undefined}
          title={o.title}
          data-testid={`${testIdPrefix}-${o.value}`}
          data-value={o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
