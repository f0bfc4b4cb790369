// Presets in the Sampling panel: apply one, save the current samplers as your own, delete yours.
import { useState } from 'react';
import { useActions, useAppStore } from '../../store';
import { presetStatus } from '../../store/sampling';

export function PresetList() {
  const builtIn = useAppStore((s) => s.presets.builtIn);
  const user = useAppStore((s) => s.presets.user);
  const active = useAppStore((s) => {
    const status = presetStatus(s.editor.sampling, s.editor.preset, s.presets.user);
    return status ? `${status.preset.name}\u0000${status.status}` : null;
  });
  const error = useAppStore((s) => s.presets.error);
  const { applyPreset, saveUserPreset, deleteUserPreset } = useActions();
  const [name, setName] = useState('');
  const [activeName, activeState] = active ? active.split('\u0000') : [null, null];

  return (
    <section className="sampler-group" aria-label="Presets">
      <h3 className="section-title">Presets</h3>
      <div className="preset-chips">
        {[...builtIn.map((p) => ({ ...p, mine: false })), ...user.map((p) => ({ ...p, mine: true }))].map((p) => (
          <span key={p.name} className={`preset-chip${p.name === activeName ? ` active ${activeState}` : ''}`}>
            <button type="button" data-testid={`preset-apply-${p.name}`} title={p.description || 'Your preset'} onClick={() => applyPreset(p.name)}>
              {p.name}
              {p.name === activeName && activeState === 'modified' ? ' *' : ''}
            </button>
            {p.mine ? (
              <button type="button" className="preset-delete" data-testid="preset-delete" aria-label={`Delete preset ${p.name}`} title="Delete this preset" onClick={() => void deleteUserPreset(p.name)}>
                ×
              </button>
            ) : null}
          </span>
        ))}
      </div>
      <form
        className="preset-save"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await saveUserPreset(name)) setName('');
        }}
      >
        <input type="text" data-testid="preset-name-input" placeholder="name" aria-label="Preset name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn btn-small" data-testid="preset-save" disabled={!name.trim()}>
          Save as preset
        </button>
      </form>
      {error ? (
        <p className="field-hint field-hint-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
