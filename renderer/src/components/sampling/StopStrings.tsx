// Stop strings as chips; type \n for a newline. Generation stops before any of them.
import { useState } from 'react';
import { useActions, useAppStore } from '../../store';
import { parseEscapes, showEscapes } from '../../store/sampling';

export function StopStrings() {
  const stop = useAppStore((s) => s.editor.sampling.stop);
  const { updateSampling } = useActions();
  const [draft, setDraft] = useState('');
  const value = parseEscapes(draft);
  const problem = draft === '' ? null : stop.includes(value) ? 'already there' : value.length > 200 ? 'at most 200 characters' : stop.length >= 16 ? 'at most 16' : null;
  return (
    <div className="sampler">
      <div className="sampler-row">
        <span className="field-label">Stop</span>
        <div className="chips">
          {stop.length === 0 ? <span className="chips-empty">none</span> : null}
          {stop.map((s) => (
            <span key={s} className="chip" data-testid="stop-chip">
              <code>{showEscapes(s)}</code>
              <button type="button" aria-label={`Remove stop string ${showEscapes(s)}`} onClick={() => updateSampling({ stop: stop.filter((x) => x !== s) })}>
                ×
              </button>
            </span>
          ))}
        </div>
      </div>
      <form
        className="sampler-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft || problem) return;
          updateSampling({ stop: [...stop, value] });
          setDraft('');
        }}
      >
        <input type="text" className={`mono grow${problem ? ' invalid' : ''}`} data-testid="stop-input" placeholder="stop string (\n = newline)" aria-label="New stop string" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" className="btn btn-small" data-testid="stop-add" disabled={!draft || Boolean(problem)}>
          Add
        </button>
      </form>
      <p className="sampler-help">{problem ?? 'Generation stops before any of these; the stop string is not part of the output.'}</p>
    </div>
  );
}
