// How the selected model is loaded (context, placement, threads, sequences…) and which compute
// backend the inference process uses. The settings are checked against the contract's schema
// by the store before anything is sent; problems show beside the field they concern.
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { Accelerator, LoadOptions } from '../../../core/api/contract';
import { selectIsGenerating, selectSelectedModel, useActions, useAppStore, useStoreApi, type LoadOutcome, type ModelSummary } from '../store';
import { backendLabel } from '../lib/format';
import { draftFromModel, optionsFromDraft, type FlashAttentionChoice, type LoadSettingsDraft } from '../store/load-options';
import { Dialog } from './Dialog';
import { InlineAlert } from './InlineAlert';
import { Segmented } from './Segmented';

type Problem = Extract<LoadOutcome, { ok: false }>;

const FLASH_ATTENTION = [
  { value: 'auto', label: 'Auto', title: 'llama.cpp turns it on where the backend supports it (on the CPU: 30–45% faster prompts)' },
  { value: 'on', label: 'On' },
  { value: 'off', label: 'Off' },
] as const;

export function LoadSettingsDialog() {
  const model = useAppStore(selectSelectedModel);
  const { openDialog } = useActions();
  if (!model) return null;
  return (
    <Dialog title={`Load settings — ${model.fileName}`} testId="load-settings-dialog" onClose={() => openDialog(null)}>
      <BackendSetting />
      {/* Keyed by model: another model starts from its own settings. */}
      <LoadSettingsForm key={model.id} model={model} />
    </Dialog>
  );
}

function LoadSettingsForm({ model }: { model: ModelSummary }) {
  const store = useStoreApi();
  const { loadModel, openDialog } = useActions();
  const running = useAppStore(selectIsGenerating);
  const [draft, setDraft] = useState<LoadSettingsDraft>(() => draftFromModel(model));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [applying, setApplying] = useState(false);

  const edit = <K extends keyof LoadSettingsDraft>(key: K, value: LoadSettingsDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    // A fixed field's complaint goes with the edit; a load failure stays until the next try.
    setProblem((p) => (p?.field === key ? null : p));
  };
  const errorFor = (field: keyof LoadOptions) => (problem?.field === field ? problem.message : null);

  const apply = async () => {
    setProblem(null);
    setApplying(true);
    const outcome = await loadModel(model.id, { options: optionsFromDraft(draft) });
    setApplying(false);
    if (!outcome.ok) setProblem(outcome);
    else if (store.getState().ui.dialog === 'load-settings') openDialog(null);
  };

  return (
    <form
      className="settings-section"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <h3 className="settings-heading">This model</h3>
      <TextSetting
        label="Context size"
        testId="load-context-size"
        value={draft.contextSize}
        onChange={(v) => edit('contextSize', v)}
        placeholder="model default"
        hint="Tokens per sequence. Empty: the model's training context, at most 4096."
        error={errorFor('contextSize')}
      />
      <TextSetting
        label="GPU layers"
        testId="load-gpu-layers"
        value={draft.gpuLayers}
        onChange={(v) => edit('gpuLayers', v)}
        suggestions={['auto', 'max', '0']}
        hint="auto: as many as fit · max: all of them · a number: that many · 0: CPU only."
        error={errorFor('gpuLayers')}
      />
      <TextSetting
        label="Threads"
        testId="load-threads"
        value={draft.threads}
        onChange={(v) => edit('threads', v)}
        hint="0 = automatic: every core with the Shotglass addon, one fewer without it, 1 for tiny models."
        error={errorFor('threads')}
      />
      <TextSetting
        label="Batch size"
        testId="load-batch-size"
        value={draft.batchSize}
        onChange={(v) => edit('batchSize', v)}
        placeholder="default"
        hint="Prompt tokens evaluated per step. Empty: node-llama-cpp's default."
        error={errorFor('batchSize')}
      />
      <TextSetting
        label="Parallel sequences"
        testId="load-sequences"
        value={draft.sequences}
        onChange={(v) => edit('sequences', v)}
        hint="1–16 (default 4): variants of a comparison run at once up to this many."
        error={errorFor('sequences')}
      />
      <Setting label="Flash attention" error={errorFor('flashAttention')}>
        <Segmented<FlashAttentionChoice>
          label="Flash attention"
          value={draft.flashAttention}
          options={FLASH_ATTENTION}
          onChange={(v) => edit('flashAttention', v)}
          testIdPrefix="load-flash-attention"
          testId="load-flash-attention"
          size="small"
        />
      </Setting>
      <Setting error={errorFor('useMmap')}>
        <CheckSetting testId="load-mmap" checked={draft.useMmap} onChange={(v) => edit('useMmap', v)}>
          Memory-map the file (mmap)
        </CheckSetting>
      </Setting>
      <Setting error={errorFor('ignoreMemoryEstimate')}>
        <CheckSetting testId="load-ignore-memory" checked={draft.ignoreMemoryEstimate} onChange={(v) => edit('ignoreMemoryEstimate', v)}>
          Load even when the memory estimate says it will not fit
        </CheckSetting>
      </Setting>
      {problem && !problem.field ? <InlineAlert testId="load-settings-error">{problem.message}</InlineAlert> : null}
      <div className="settings-footer">
        {running ? <span className="field-hint">Runs are in progress: wait for them (or stop them) to reload.</span> : null}
        <button type="button" className="btn" onClick={() => openDialog(null)}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" data-testid="load-settings-apply" disabled={running || applying}>
          {applying ? 'Loading…' : 'Load with these settings'}
        </button>
      </div>
    </form>
  );
}

/** One labelled row: the control, a hint under it, and the field's error in place of the hint. */
function Setting({ label, labelFor, hint, error, children }: { label?: string; labelFor?: string; hint?: string; error: string | null; children: ReactNode }) {
  return (
    <div className="setting">
      {label ? (
        <label className="setting-label" htmlFor={labelFor}>
          {label}
        </label>
      ) : (
        <span />
      )}
      <div className="setting-control">{children}</div>
      {error ? (
        <span className="field-hint field-hint-error setting-hint" role="alert" data-testid="load-settings-error">
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint setting-hint">{hint}</span>
      ) : null}
    </div>
  );
}

interface TextSettingProps {
  label: string;
  testId: string;
  value: string;
  onChange(value: string): void;
  hint: string;
  error: string | null;
  placeholder?: string;
  suggestions?: string[];
}

/** Free text on purpose: the schema, not the input, decides what is valid (and says so). */
function TextSetting({ label, testId, value, onChange, hint, error, placeholder, suggestions }: TextSettingProps) {
  const id = useId();
  return (
    <Setting label={label} labelFor={id} hint={hint} error={error}>
      <input
        id={id}
        type="text"
        inputMode={suggestions ? 'text' : 'numeric'}
        className={`settings-input${error ? ' invalid' : ''}`}
        data-testid={testId}
        value={value}
        placeholder={placeholder}
        aria-invalid={error !== null}
        list={suggestions ? `${id}-list` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {suggestions ? (
        <datalist id={`${id}-list`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </Setting>
  );
}

function CheckSetting({ testId, checked, onChange, children }: { testId: string; checked: boolean; onChange(value: boolean): void; children: ReactNode }) {
  return (
    <label className="toggle toggle-strong">
      <input type="checkbox" data-testid={testId} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {children}
    </label>
  );
}

const BACKEND_WORDS: Record<Accelerator, string> = { auto: 'Auto (best available)', cpu: 'CPU', cuda: 'CUDA', metal: 'Metal', vulkan: 'Vulkan' };

/** The compute backend of the inference process (for every model); switching restarts it. */
function BackendSetting() {
  const system = useAppStore((s) => s.app.system);
  const { refreshSystemInfo, setAccelerator } = useActions();
  const id = useId();
  const [pending, setPending] = useState<Accelerator | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // The status bar may not have it yet (e.g. the first question failed).
    if (!system) void refreshSystemInfo();
  }, []); // once, when the dialog opens

  const choose = async (backend: Accelerator) => {
    setPending(backend);
    setError(null);
    setError(await setAccelerator(backend));
    setPending(null);
  };

  const available = system?.availableBackends ?? [];
  return (
    <section className="settings-section">
      <h3 className="settings-heading">Inference process</h3>
      <Setting
        label="Backend"
        labelFor={id}
        error={null}
        hint={system ? `In use: ${backendLabel(system)}. Switching restarts the inference process; models load again on their next use.` : 'Not known yet.'}
      >
        <select
          id={id}
          data-testid="backend-select"
          value={pending ?? system?.requestedAccelerator ?? ''}
          disabled={!system || pending !== null}
          onChange={(e) => void choose(e.target.value as Accelerator)}
        >
          {!system ? <option value="">unknown</option> : null}
          {available.map((b) => (
            <option key={b} value={b}>
              {BACKEND_WORDS[b]}
            </option>
          ))}
        </select>
        {pending ? <span className="field-hint">restarting…</span> : null}
      </Setting>
      {error ? <InlineAlert testId="backend-error">{error}</InlineAlert> : null}
    </section>
  );
}
