// Named presets: Deterministic, Balanced, Creative, and the user's own. Shows whether the settings
// are still the preset's ("modified" once a sampler was changed).
import { selectActions, useAppStore } from '../../store';
import { presetStatus } from '../../store/sampling';

export function PresetPicker() {
  const builtIn = useAppStore((s) => s.presets.builtIn);
  const user = useAppStore((s) => s.presets.user);
  const preset = useAppStore((s) => s.editor.preset);
  const state = useAppStore((s) => presetStatus(s.editor.sampling, s.editor.preset, s.presets.user)?.status ?? null);
  const { applyPreset } = useAppStore(selectActions);
  const all = [...builtIn, ...user];
  const current = preset && all.some((p) => p.name === preset) ? preset : '';
  return (
    <div className="control preset-picker" title={all.find((p) => p.name === preset)?.description ?? 'Named sampling settings'}>
      <label className="field-label" htmlFor="preset-select">
        Preset
      </label>
      <select id="preset-select" data-testid="preset-select" value={current} onChange={(e) => e.target.value && applyPreset(e.target.value)}>
        <option value="" disabled>
          custom
        </option>
        <optgroup label="Built-in">
          {builtIn.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </optgroup>
        {user.length ? (
          <optgroup label="Yours">
            {user.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      {state === 'modified' ? (
        <span className="badge badge-warn" data-testid="preset-modified" title="A sampler was changed since the preset was applied">
          modified
        </span>
      ) : null}
    </div>
  );
}
