// The examples ("shots"): add, edit, enable/disable, duplicate, delete (with Undo), and reorder by
// dragging the handle or with the keyboard (↑/↓ on the handle, Alt+↑/↓ anywhere in a card).
import { memo, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { selectExamples, TECHNIQUE_LABELS, type Example, type Technique } from '../../../../core/prompt/index';
import { useStableKeys } from '../../lib/stable-keys';
import { useActions, useAppStore } from '../../store';

type ShotState = 'shown' | 'technique' | 'disabled';

const DRAG_TYPE = 'application/x-shotglass-shot';

export function ShotsManager() {
  const examples = useAppStore((s) => s.template.draft.examples);
  const technique = useAppStore((s) => s.template.draft.technique);
  const { addExample, moveExample } = useActions();
  const keys = useStableKeys(examples);
  const states = useMemo(() => shotStates(technique, examples), [technique, examples]);
  const [drag, setDrag] = useState<{ from: number; to: number | null } | null>(null);
  const focusHandle = useRef<number | null>(null);
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (focusHandle.current === null) return;
    const handle = list.current?.querySelectorAll<HTMLElement>('[data-testid="shot-handle"]')[focusHandle.current];
    focusHandle.current = null;
    handle?.focus();
  }, [examples]);

  // Cards are memoized: they get one stable handler object that calls the latest closures.
  const latest = useRef({ examples, drag });
  latest.current = { examples, drag };
  const handlers = useMemo<CardHandlers>(() => {
    const move = (from: number, to: number) => {
      if (to < 0 || to >= latest.current.examples.length || to === from) return;
      focusHandle.current = to;
      moveExample(from, to);
    };
    return {
      move,
      dragStart: (from) => setDrag({ from, to: null }),
      dragOver: (to) => setDrag((d) => (d && d.to !== to ? { ...d, to } : d)),
      dragEnd: () => setDrag(null),
      drop: (to) => {
        const current = latest.current.drag;
        if (current) move(current.from, to);
        setDrag(null);
      },
    };
  }, [moveExample]);

  const onAdd = () => {
    addExample();
    // Focus the new example's input once it is there.
    requestAnimationFrame(() => {
      const inputs = list.current?.querySelectorAll<HTMLTextAreaElement>('[data-testid="shot-input"]');
      inputs?.[inputs.length - 1]?.focus();
    });
  };

  const enabled = examples.filter((e) => e.enabled).length;
  return (
    <section className="section" aria-label="Examples">
      <header className="section-header">
        <h3 className="section-title">Examples</h3>
        <span className="section-meta" data-testid="shot-count">
          {examples.length} ({enabled} enabled)
        </span>
        <span className="toolbar-spacer" />
        <button type="button" className="btn btn-small" data-testid="add-shot" onClick={onAdd}>
          + Add example
        </button>
      </header>
      {examples.length === 0 ? (
        <p className="section-empty">No examples yet. Examples teach the format; zero-shot keeps them but does not show them.</p>
      ) : null}
      <ol ref={list} className="shots" data-testid="shots">
        {examples.map((example, index) => (
          <ShotCard
            key={keys[index]}
            example={example}
            index={index}
            count={examples.length}
            state={states[index] ?? 'shown'}
            technique={technique}
            dropMark={drag && drag.to === index && drag.from !== index ? (drag.from < index ? 'after' : 'before') : null}
            dragging={drag?.from === index}
            handlers={handlers}
          />
        ))}
      </ol>
    </section>
  );
}

function shotStates(technique: Technique, examples: readonly Example[]): ShotState[] {
  const { used, unused } = selectExamples({ technique, examples: examples as Example[] });
  const states: ShotState[] = examples.map(() => 'shown');
  for (const u of unused) states[u.index] = u.reason;
  for (const i of used) states[i] = 'shown';
  return states;
}

interface CardHandlers {
  move(from: number, to: number): void;
  dragStart(from: number): void;
  dragOver(to: number): void;
  dragEnd(): void;
  drop(to: number): void;
}

interface CardProps {
  example: Example;
  index: number;
  count: number;
  state: ShotState;
  technique: Technique;
  dropMark: 'before' | 'after' | null;
  dragging: boolean;
  handlers: CardHandlers;
}

const STATE_WORDS: Record<ShotState, (technique: Technique) => string> = {
  shown: () => 'shown',
  technique: (t) => `not shown by ${TECHNIQUE_LABELS[t].toLowerCase()}`,
  disabled: () => 'disabled',
};

const ShotCard = memo(function ShotCard(props: CardProps) {
  const { example, index, count, state, technique, dropMark, dragging, handlers } = props;
  const { updateExample, duplicateExample, deleteExample } = useActions();
  const [draggable, setDraggable] = useState(false);
  const showReasoning = technique === 'chain-of-thought' || Boolean(example.reasoning);

  const onCardKeyDown = (e: KeyboardEvent) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      handlers.move(index, index + (e.key === 'ArrowUp' ? -1 : 1));
    }
  };
  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    handlers.dragOver(index);
  };

  return (
    <li
      className={`shot shot-${state}${dragging ? ' dragging' : ''}${dropMark ? ` drop-${dropMark}` : ''}`}
      data-testid="shot"
      data-index={index}
      draggable={draggable}
      onKeyDown={onCardKeyDown}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, String(index));
        e.dataTransfer.effectAllowed = 'move';
        handlers.dragStart(index);
      }}
      onDragEnd={() => {
        setDraggable(false);
        handlers.dragEnd();
      }}
      onDragOver={onDragOver}
      onDrop={(e) => {
        e.preventDefault();
        setDraggable(false);
        handlers.drop(index);
      }}
    >
      <div className="shot-bar">
        <button
          type="button"
          className="shot-handle"
          data-testid="shot-handle"
          aria-label={`Example ${index + 1}: drag, or press ↑/↓ to move`}
          title="Drag to reorder (or ↑/↓)"
          onPointerDown={() => setDraggable(true)}
          onPointerUp={() => setDraggable(false)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
              e.preventDefault();
              handlers.move(index, index + (e.key === 'ArrowUp' ? -1 : 1));
            }
          }}
        >
          ⠿
        </button>
        <span className="shot-number">#{index + 1}</span>
        <label className="toggle" title="Disabled examples are kept but never shown">
          <input
            type="checkbox"
            data-testid="shot-enabled"
            checked={example.enabled}
            onChange={(e) => updateExample(index, { enabled: e.target.checked })}
          />
          enabled
        </label>
        <span className={`shot-state shot-state-${state}`} data-testid="shot-state">
          {STATE_WORDS[state](technique)}
        </span>
        <span className="toolbar-spacer" />
        <button type="button" className="btn-icon btn-icon-small" title="Move up (Alt+↑)" aria-label="Move up" disabled={index === 0} onClick={() => handlers.move(index, index - 1)}>
          ↑
        </button>
        <button type="button" className="btn-icon btn-icon-small" title="Move down (Alt+↓)" aria-label="Move down" disabled={index === count - 1} onClick={() => handlers.move(index, index + 1)}>
          ↓
        </button>
        <button type="button" className="btn-icon btn-icon-small" data-testid="shot-duplicate" title="Duplicate" aria-label="Duplicate example" onClick={() => duplicateExample(index)}>
          ❐
        </button>
        <button type="button" className="btn-icon btn-icon-small danger" data-testid="shot-delete" title="Delete (Undo in the notice)" aria-label="Delete example" onClick={() => deleteExample(index)}>
          ×
        </button>
      </div>
      <ShotText label="Input" testId="shot-input" value={example.input} onChange={(input) => updateExample(index, { input })} />
      {showReasoning ? (
        <ShotText
          label="Reasoning"
          testId="shot-reasoning"
          value={example.reasoning ?? ''}
          placeholder="The worked steps (shown by chain of thought)"
          onChange={(reasoning) => updateExample(index, { reasoning: reasoning === '' ? undefined : reasoning })}
        />
      ) : null}
      <ShotText label="Output" testId="shot-output" value={example.output} onChange={(output) => updateExample(index, { output })} />
    </li>
  );
});

function ShotText(props: { label: string; testId: string; value: string; placeholder?: string; onChange(value: string): void }) {
  return (
    <label className="shot-field">
      <span className="shot-label">{props.label}</span>
      <textarea
        className="shot-text"
        data-testid={props.testId}
        rows={1}
        spellCheck={false}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
