// Building a comparison: the variants (label, model, settings, technique; added, duplicated,
// reordered, removed), sweeps that expand one variant into several, repeats and the seed.
import { useState } from 'react';
import { SAMPLING_LIMITS } from '../../../../core/api/contract';
import { TECHNIQUE_LABELS, type Technique } from '../../../../core/prompt/index';
import { inputText, MAX_VARIANTS, SWEEP_DEFAULTS, SWEEP_LABELS, sweepDefaults, type SweepKind, type VariantDraft } from '../../store/compare-variants';
import { useActions, useAppStore } from '../../store';
import { InlineAlert } from '../InlineAlert';

const SWEEPS: SweepKind[] = ['temperature', 'topP', 'maxTokens', 'shots', 'cot', 'model'];
const TECHNIQUES = Object.keys(TECHNIQUE_LABELS) as Technique[];

export function CompareBuilder() {
  const drafts = useAppStore((s) => s.compare.drafts);
  const buildError = useAppStore((s) => s.compare.buildError);
  const { addVariant, setView } = useActions();
  return (
    <section className="cmp-builder" aria-label="Variants" data-testid="compare-builder">
      <SweepBar />
      <Provenance />
      {buildError ? <InlineAlert testId="compare-build-error">{buildError}</InlineAlert> : null}
      <div className="cmp-variants">
        {drafts.map((d, i) => (
          <VariantCard key={d.id} draft={d} index={i} count={drafts.length} />
        ))}
        <div className="cmp-add">
          <button type="button" className="btn" data-testid="add-variant" disabled={drafts.length >= MAX_VARIANTS} onClick={() => addVariant()} title={`Add a copy of the last variant (at most ${MAX_VARIANTS})`}>
            + Variant
          </button>
          <button type="button" className="link-button" onClick={() => setView('workbench')} title="Edit the template in the workbench: the variants made from it follow its edits">
            edit the template in the workbench
          </button>
        </div>
      </div>
    </section>
  );
}

/** Where the variants come from, in plain words: following the workbench, left behind by it, or saved. */
function Provenance() {
  const link = useAppStore((s) => s.compare.link);
  const saved = useAppStore((s) => s.compare.drafts.some((d) => d.saved));
  const { refreshFromWorkbench } = useActions();
  if (link?.detached) {
    return (
      <InlineAlert testId="compare-stale">
        These variants were made from {link.name} and keep it as it was last; the workbench now shows {link.detached}.{' '}
        <button type="button" className="btn btn-small" data-testid="compare-refresh" onClick={refreshFromWorkbench}>
          Compare {link.detached} instead
        </button>
      </InlineAlert>
    );
  }
  if (link) {
    return (
      <p className="cmp-provenance" data-testid="compare-follows">
        Follows {link.name} in the workbench: its edits (examples, settings, model) reach every variant, except what you change here.
      </p>
    );
  }
  if (saved) {
    return (
      <p className="cmp-provenance" data-testid="compare-saved-variants">
        Reopened from a saved comparison: each variant runs its prompt exactly as saved (variables filled in), with the settings shown.
      </p>
    );
  }
  return null;
}

function SweepBar() {
  const [kind, setKind] = useState<SweepKind>('temperature');
  const [values, setValues] = useState(SWEEP_DEFAULTS.temperature);
  const first = useAppStore((s) => s.compare.drafts[0]);
  const repeats = useAppStore((s) => s.compare.repeats);
  const seed = useAppStore((s) => s.compare.seed);
  const name = useAppStore((s) => s.compare.name);
  const { applySweep, setRepeats, setCompareSeed, setCompareName } = useActions();
  const needsValues = kind !== 'cot' && kind !== 'model';
  return (
    <div className="cmp-sweep">
      <label className="cmp-field">
        <span>Name</span>
        <input type="text" className="cmp-name" data-testid="compare-name" value={name} maxLength={200} onChange={(e) => setCompareName(e.target.value)} />
      </label>
      <span className="cmp-sep" />
      <label className="cmp-field" title="Expand the first variant into one variant per value (replaces the variants)">
        <span>Sweep</span>
        <select
          data-testid="sweep-kind"
          value={kind}
          onChange={(e) => {
            const k = e.target.value as SweepKind;
            setKind(k);
            setValues(sweepDefaults(k, first));
          }}
        >
          {SWEEPS.map((k) => (
            <option key={k} value={k}>
              {SWEEP_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      {needsValues ? (
        <input type="text" className="cmp-sweep-values" data-testid="sweep-values" aria-label="Sweep values" value={values} onChange={(e) => setValues(e.target.value)} placeholder="0, 0.7, 1.2" />
      ) : null}
      <button type="button" className="btn btn-small" data-testid="sweep-apply" onClick={() => applySweep(kind, values)}>
        Expand
      </button>
      <span className="cmp-sep" />
      <label className="cmp-field" title="Samples per variant, with seeds s, s+1, …">
        <span>Repeats</span>
        <input type="number" min={1} max={16} className="cmp-num" data-testid="repeats-input" value={repeats} onChange={(e) => setRepeats(Number(e.target.value))} />
      </label>
      <label className="cmp-field" title="The first seed (empty: drawn and recorded)">
        <span>Seed</span>
        <input
          type="number"
          min={0}
          className="cmp-num cmp-seed"
          data-testid="compare-seed"
          placeholder="random"
          value={seed ?? ''}
          onChange={(e) => setCompareSeed(e.target.value === '' ? null : Number(e.target.value))}
        />
      </label>
    </div>
  );
}

function VariantCard({ draft, index, count }: { draft: VariantDraft; index: number; count: number }) {
  const order = useAppStore((s) => s.models.order);
  const byId = useAppStore((s) => s.models.byId);
  const bad = useAppStore((s) => s.compare.buildErrorVariant === draft.id);
  const { updateVariant, updateVariantSampling, updateVariantTemplate, removeVariant, moveVariant, addVariant } = useActions();
  const enabled = draft.template?.examples.filter((e) => e.enabled).length ?? 0;
  return (
    <div className={`cmp-card${bad ? ' cmp-card-bad' : ''}`} data-testid="variant-card" data-variant={draft.id}>
      <div className="cmp-card-head">
        <span className="cmp-letter">{draft.id}</span>
        <input type="text" className="cmp-label-input" data-testid="variant-label" aria-label="Variant label" maxLength={100} value={draft.label} onChange={(e) => updateVariant(draft.id, { label: e.target.value })} />
        <button type="button" className="btn-icon btn-icon-small" data-testid="variant-left" aria-label="Move left" disabled={index === 0} onClick={() => moveVariant(index, index - 1)}>
          ‹
        </button>
        <button type="button" className="btn-icon btn-icon-small" data-testid="variant-right" aria-label="Move right" disabled={index === count - 1} onClick={() => moveVariant(index, index + 1)}>
          ›
        </button>
        <button type="button" className="btn-icon btn-icon-small" data-testid="variant-duplicate" aria-label="Duplicate" disabled={count >= MAX_VARIANTS} onClick={() => addVariant(draft.id)} title="Duplicate">
          +
        </button>
        <button type="button" className="btn-icon btn-icon-small danger" data-testid="variant-remove" aria-label="Remove" onClick={() => removeVariant(draft.id)}>
          ×
        </button>
      </div>
      <label className="cmp-row">
        <span>model</span>
        <select data-testid="variant-model" value={draft.modelId} onChange={(e) => updateVariant(draft.id, { modelId: e.target.value })}>
          {order.map((id) => (
            <option key={id} value={id}>
              {byId[id]?.fileName ?? id}
            </option>
          ))}
        </select>
      </label>
      {draft.template ? (
        <label className="cmp-row">
          <span>technique</span>
          <select data-testid="variant-technique" value={draft.template.technique} onChange={(e) => updateVariantTemplate(draft.id, { technique: e.target.value as Technique })}>
            {TECHNIQUES.map((t) => (
              <option key={t} value={t}>
                {TECHNIQUE_LABELS[t]}
              </option>
            ))}
          </select>
          <span className="cmp-hint" title="Enabled examples">
            {enabled} ex.
          </span>
        </label>
      ) : draft.saved ? (
        <label className="cmp-row cmp-row-raw" title="The prompt exactly as it ran in the saved comparison (variables filled in)">
          <span>{draft.saved.input.mode === 'chat' ? 'chat' : 'prompt'}</span>
          <textarea data-testid="variant-saved-prompt" rows={2} readOnly value={inputText(draft.saved.input)} />
          {draft.saved.prefix?.length ? <span className="cmp-hint">then {draft.saved.prefix.length} forced tokens (a fork)</span> : null}
        </label>
      ) : (
        <label className="cmp-row cmp-row-raw">
          <span>prompt</span>
          <textarea data-testid="variant-raw" rows={2} value={draft.raw ?? ''} onChange={(e) => updateVariant(draft.id, { raw: e.target.value })} />
        </label>
      )}
      <div className="cmp-row">
        <NumberInput label="temp" testId="variant-temperature" value={draft.sampling.temperature} step={0.1} min={SAMPLING_LIMITS.temperature.min} max={SAMPLING_LIMITS.temperature.max} onChange={(v) => updateVariantSampling(draft.id, { temperature: v })} />
        <NumberInput label="max" testId="variant-max-tokens" value={draft.sampling.maxTokens} step={1} min={1} max={4096} onChange={(v) => updateVariantSampling(draft.id, { maxTokens: Math.round(v) })} />
      </div>
      <div className="cmp-row">
        <NumberInput label="top-p" testId="variant-top-p" value={draft.sampling.topP} step={0.05} min={0} max={1} onChange={(v) => updateVariantSampling(draft.id, { topP: v })} />
        <NumberInput label="top-k" testId="variant-top-k" value={draft.sampling.topK} step={1} min={0} max={1000} onChange={(v) => updateVariantSampling(draft.id, { topK: Math.round(v) })} />
      </div>
      <label className="cmp-row" title="Stop strings, comma separated (\n for a newline)">
        <span>stop</span>
        <input
          type="text"
          data-testid="variant-stop"
          value={draft.sampling.stop.map((s) => JSON.stringify(s).slice(1, -1)).join(', ')}
          onChange={(e) => {
            const stop = e.target.value
              .split(',')
              .map((s) => s.trim().replace(/\\n/g, '\n').replace(/\\t/g, '\t'))
              .filter(Boolean)
              .slice(0, 16);
            updateVariantSampling(draft.id, { stop });
          }}
        />
      </label>
    </div>
  );
}

function NumberInput(props: { label: string; testId: string; value: number; step: number; min: number; max: number; onChange(value: number): void }) {
  const [text, setText] = useState<string | null>(null);
  return (
    <label className="cmp-num-field">
      <span>{props.label}</span>
      <input
        type="number"
        data-testid={props.testId}
        step={props.step}
        min={props.min}
        max={props.max}
        value={text ?? String(props.value)}
        onChange={(e) => {
          setText(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(n) && n >= props.min && n <= props.max) props.onChange(n);
        }}
        onBlur={() => setText(null)}
      />
    </label>
  );
}
