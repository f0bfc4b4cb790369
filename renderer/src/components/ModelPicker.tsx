// Model selection, its load state (with progress), the load/unload actions and the way to the
// load settings.
import { selectModelError, selectSelectedModel, useActions, useAppStore } from '../store';
import { formatBytes } from '../lib/format';
import { InlineAlert } from './InlineAlert';

export function ModelPicker() {
  return (
    <div className="model-picker">
      <label className="field-label" htmlFor="model-select">
        Model
      </label>
      <ModelSelect />
      <ModelMeta />
      <ModelStateBadge />
      <ModelLoadButtons />
      <LoadSettingsButton />
    </div>
  );
}

function ModelSelect() {
  const order = useAppStore((s) => s.models.order);
  const byId = useAppStore((s) => s.models.byId);
  const selectedId = useAppStore((s) => s.models.selectedId);
  const { selectModel } = useActions();
  return (
    <select
      id="model-select"
      data-testid="model-select"
      className="model-select"
      value={selectedId ?? ''}
      disabled={order.length === 0}
      onChange={(e) => selectModel(e.target.value)}
    >
      {order.length === 0 && <option value="">No models</option>}
      {order.map((id) => {
        const model = byId[id];
        if (!model) return null;
        return (
          // Label = file name only; size and "demo" go beside the select (ModelMeta).
          <option key={id} value={id} title={model.state === 'error' ? `${model.path}: ${model.error ?? 'cannot be loaded'}` : model.path} data-broken={model.state === 'error' || undefined}>
            {model.state === 'error' ? `⚠ ${model.fileName} (cannot load)` : model.fileName}
          </option>
        );
      })}
    </select>
  );
}

function ModelMeta() {
  const model = useAppStore(selectSelectedModel);
  if (!model) return null;
  return (
    <span className="model-meta" data-testid="model-meta" title={model.path}>
      {model.isDemo ? <span className="tag">demo</span> : null}
      {formatBytes(model.sizeBytes)}
      {model.contextSize ? ` · ctx ${model.contextSize}` : ''}
    </span>
  );
}

function ModelStateBadge() {
  // A failed open has no model of its own; it shows as an error here until the next selection.
  const state = useAppStore((s) => (s.models.openError ? 'error' : (selectSelectedModel(s)?.state ?? null)));
  const progress = useAppStore((s) => selectSelectedModel(s)?.loadProgress);
  if (!state) return null;
  const percent = Math.round(Math.min(1, Math.max(0, progress ?? 0)) * 100);
  return (
    <span className={`model-state model-state-${state}`}>
      <span className="state-dot" aria-hidden />
      <span data-testid="model-state">{state}</span>
      {state === 'loading' && (
        <span className="progress" data-testid="model-progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
          <span className="progress-fill" style={{ width: `${percent}%` }} />
          <span className="progress-label">{percent}%</span>
        </span>
      )}
    </span>
  );
}

function ModelLoadButtons() {
  const model = useAppStore(selectSelectedModel);
  const running = useAppStore((s) => s.run.status === 'running');
  const { loadModel, unloadModel } = useActions();
  if (!model) return null;
  switch (model.state) {
    case 'loaded':
      return (
        <button type="button" className="btn" disabled={running} onClick={() => void unloadModel(model.id)}>
          Unload
        </button>
      );
    case 'loading':
      return (
        <button type="button" className="btn" disabled>
          Loading…
        </button>
      );
    case 'unloaded':
      return (
        <button type="button" className="btn" data-testid="load-button" onClick={() => void loadModel(model.id)}>
          Load
        </button>
      );
    case 'error':
      return (
        <>
          <button type="button" className="btn" data-testid="load-button" onClick={() => void loadModel(model.id)}>
            Retry
          </button>
          {model.loadAnyway ? (
            <button
              type="button"
              className="btn btn-subtle"
              data-testid="load-anyway"
              title="Skip Shotglass's GGUF checks and let llama.cpp try. This may crash the inference process (it restarts)."
              onClick={() => void loadModel(model.id, { skipChecks: true })}
            >
              Load anyway
            </button>
          ) : null}
        </>
      );
  }
}

function LoadSettingsButton() {
  const hasModel = useAppStore((s) => s.models.selectedId !== null);
  const { openDialog } = useActions();
  if (!hasModel) return null;
  return (
    <button
      type="button"
      className="btn btn-subtle"
      data-testid="load-settings-button"
      title="Context size, GPU layers, threads, parallel sequences… and the compute backend"
      onClick={() => openDialog('load-settings')}
    >
      Settings…
    </button>
  );
}

/** The words of the last failure, right under the picker; present only when there is one. */
export function ModelError() {
  const error = useAppStore(selectModelError);
  const { clearOpenError } = useActions();
  const isOpenError = useAppStore((s) => s.models.openError !== null);
  if (!error) return null;
  return (
    <InlineAlert testId="model-error" onDismiss={isOpenError ? clearOpenError : undefined}>
      {error}
    </InlineAlert>
  );
}
