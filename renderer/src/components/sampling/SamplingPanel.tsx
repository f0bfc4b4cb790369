// Every sampler the inference host supports, each with a slider, a number field, one line in plain
// words, and a reset; presets to apply and to save.
import { memo, useState, type ReactNode } from 'react';
import { DEFAULT_SAMPLING, NUMERIC_SAMPLERS, samplersOf, type NumericSamplerKey, type Sampling } from '../../../../core/api/contract';
import { stableJson } from '../../../../core/prompt/index';
import { useActions, useAppStore } from '../../store';
import {
  FIELD_SPECS,
  roundToStep,
  SEED_MAX,
  UI_LIMITS,
} from '../../store/sampling';
import { MaxTokensSlider } from './MaxTokensSlider';
import { NumberField } from '../NumberField';
import { PresetList } from './PresetList';
import { StopStrings } from './StopStrings';
import { TokenBias } from './TokenBias';

// The rows come from the sampler catalog (core/sampling/catalog.ts): a new numeric sampler shows
// up here with its label, help and slider without a change to this file.
type NumericKey = Exclude<NumericSamplerKey, 'maxTokens'>;

interface Row {
  key: NumericKey;
  label: string;
  help: string;
  slider: { min: number; max: number; step: number };
}

const rowsOf = (group: 'sampling' | 'penalties'): Row[] =>
  samplersOf(group).flatMap((key) => (key === 'maxTokens' ? [] : [{ key, ...NUMERIC_SAMPLERS[key] }]));
const SAMPLERS = rowsOf('sampling');
const PENALTIES = rowsOf('penalties');

const isDefault = (sampling: Sampling, key: keyof Sampling) =>
  stableJson(sampling[key]) === stableJson((DEFAULT_SAMPLING as Sampling)[key]);

export function SamplingPanel() {
  return (
    <div className="sampling-panel" data-testid="sampling-panel">
      <PresetList />
      <Group title="Sampling" hint="how the next token is chosen">
        {SAMPLERS.map((row) => (
          <NumericSampler key={row.key} row={row} />
        ))}
      </Group>
      <Group title="Penalties" hint="against repetition">
        {PENALTIES.map((row) => (
          <NumericSampler key={row.key} row={row} />
        ))}
      </Group>
      <Group title="XTC and DRY">
        <Xtc />
        <Dry />
      </Group>
      <Group title="Length and ending">
        <MaxTokens />
        <StopStrings />
        <TrimWhitespace />
      </Group>
      <Group title="Reproducibility">
        <Seed />
      </Group>
      <Group title="Token bias" hint="optional">
        <TokenBias />
      </Group>
      <Group title="Probabilities">
        <TopProbabilities />
      </Group>
      <ResetAll />
    </div>
  );
}

function Group({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <section className="sampler-group" aria-label={title}>
      <h3 className="section-title">
        {title}
        {hint ? <span className="section-meta"> · {hint}</span> : null}
      </h3>
      {children}
    </section>
  );
}

function ResetButton({ keys, testId, visible }: { keys: (keyof Sampling)[]; testId: string; visible: boolean }) {
  const { resetSampling } = useActions();
  return (
    <button
      type="button"
      className="btn-icon btn-icon-small reset"
      data-testid={testId}
      title="Reset to the default"
      aria-label="Reset to the default"
      style={{ visibility: visible ? 'visible' : 'hidden' }}
      onClick={() => resetSampling(keys)}
    >
      ↺
    </button>
  );
}

function Sampler({ help, children, reset }: { help: string; children: ReactNode; reset?: ReactNode }) {
  return (
    <div className="sampler">
      <div className="sampler-row">
        {children}
        {reset}
      </div>
      <p className="sampler-help">{help}</p>
    </div>
  );
}

const NumericSampler = memo(function NumericSampler({ row }: { row: Row }) {
  const value = useAppStore((s) => s.editor.sampling[row.key]);
  const changed = useAppStore((s) => !isDefault(s.editor.sampling, row.key));
  const { updateSampling } = useActions();
  const { min, max, step } = row.slider;
  return (
    <Sampler help={row.help} reset={<ResetButton keys={[row.key]} testId={`sampler-${row.key}-reset`} visible={changed} />}>
      <NumberField
        label={row.label}
        testId={`sampler-${row.key}-input`}
        value={value}
        spec={FIELD_SPECS[row.key]}
        step={step}
        onCommit={(v) => v !== undefined && updateSampling({ [row.key]: v } as Partial<Sampling>)}
      >
        <input
          type="range"
          className="slider"
          aria-label={row.label}
          data-testid={`sampler-${row.key}-slider`}
          min={min}
          max={max}
          step={step}
          value={Math.min(max, Math.max(min, value))}
          onChange={(e) => updateSampling({ [row.key]: roundToStep(Number(e.target.value), step) } as Partial<Sampling>)}
        />
      </NumberField>
    </Sampler>
  );
});

function Xtc() {
  const xtc = useAppStore((s) => s.editor.sampling.xtc);
  const { updateSampling } = useActions();
  return (
    <div className="sampler">
      <label className="toggle toggle-strong">
        <input type="checkbox" data-testid="xtc-toggle" checked={xtc !== undefined} onChange={(e) => updateSampling({ xtc: e.target.checked ? { probability: 0.5, threshold: 0.1 } : undefined })} />
        XTC: exclude top choices
      </label>
      <p className="sampler-help">With probability p, drop the likely tokens above the threshold except the least likely of them: fresher wording without more nonsense.</p>
      {xtc ? (
        <div className="sampler-sub">
          <SubNumber label="Probability" testId="xtc-probability" value={xtc.probability} spec={FIELD_SPECS.xtcProbability} step={0.05} onCommit={(probability) => updateSampling({ xtc: { ...xtc, probability } })} />
          <SubNumber label="Threshold" testId="xtc-threshold" value={xtc.threshold} spec={FIELD_SPECS.xtcThreshold} step={0.01} onCommit={(threshold) => updateSampling({ xtc: { ...xtc, threshold } })} />
        </div>
      ) : null}
    </div>
  );
}

const DRY_DEFAULT = { strength: 0.8, base: 1.75, allowedLength: 2, lastTokens: 1024, sequenceBreakers: ['\n', ':', '"', '*'] };

function Dry() {
  const dry = useAppStore((s) => s.editor.sampling.dry);
  const { updateSampling } = useActions();
  const [breakers, setBreakers] = useState<string | null>(null);
  const [breakersError, setBreakersError] = useState<string | null>(null);
  return (
    <div className="sampler">
      <label className="toggle toggle-strong">
        <input type="checkbox" data-testid="dry-toggle" checked={dry !== undefined} onChange={(e) => updateSampling({ dry: e.target.checked ? DRY_DEFAULT : undefined })} />
        DRY: don't repeat yourself
      </label>
      <p className="sampler-help">Penalise continuing a sequence that already appeared, harder the longer the repeat.</p>
      {dry ? (
        <div className="sampler-sub">
          <SubNumber label="Strength" testId="dry-strength" value={dry.strength} spec={FIELD_SPECS.dryStrength} step={0.05} onCommit={(strength) => updateSampling({ dry: { ...dry, strength } })} />
          <SubNumber label="Base" testId="dry-base" value={dry.base} spec={FIELD_SPECS.dryBase} step={0.05} onCommit={(base) => updateSampling({ dry: { ...dry, base } })} />
          <SubNumber label="Allowed length" testId="dry-allowed" value={dry.allowedLength} spec={FIELD_SPECS.dryAllowedLength} step={1} onCommit={(allowedLength) => updateSampling({ dry: { ...dry, allowedLength } })} />
          <SubNumber label="Last tokens" testId="dry-last" value={dry.lastTokens} spec={FIELD_SPECS.dryLastTokens} step={64} onCommit={(lastTokens) => updateSampling({ dry: { ...dry, lastTokens } })} />
          <label className="inline-field" title='Sequences are cut at these (a JSON list, e.g. ["\n", ":"])'>
            <span>Breakers</span>
            <input
              type="text"
              className={`mono${breakersError ? ' invalid' : ''}`}
              value={breakers ?? JSON.stringify(dry.sequenceBreakers)}
              onChange={(e) => {
                setBreakers(e.target.value);
                try {
                  const list = JSON.parse(e.target.value) as unknown;
                  if (!Array.isArray(list) || !list.every((b) => typeof b === 'string' && b.length > 0 && b.length <= 20) || list.length > 16) {
                    throw new Error('a list of up to 16 short texts');
                  }
                  setBreakersError(null);
                  updateSampling({ dry: { ...dry, sequenceBreakers: list as string[] } });
                } catch (error) {
                  setBreakersError(error instanceof SyntaxError ? 'not a JSON list' : (error as Error).message);
                }
              }}
              onBlur={() => {
                setBreakers(null);
                setBreakersError(null);
              }}
            />
          </label>
          {breakersError ? <span className="field-hint field-hint-error">{breakersError}</span> : null}
        </div>
      ) : null}
    </div>
  );
}

function SubNumber(props: { label: string; testId: string; value: number; spec: Parameters<typeof NumberField>[0]['spec']; step: number; onCommit(value: number): void }) {
  return (
    <NumberField
      label={props.label}
      testId={props.testId}
      value={props.value}
      spec={props.spec}
      step={props.step}
      onCommit={(v) => v !== undefined && props.onCommit(v)}
    />
  );
}

function MaxTokens() {
  const maxTokens = useAppStore((s) => s.editor.sampling.maxTokens);
  const changed = useAppStore((s) => !isDefault(s.editor.sampling, 'maxTokens'));
  const { updateSampling } = useActions();
  return (
    <Sampler help="Stop after this many generated tokens." reset={<ResetButton keys={['maxTokens']} testId="sampler-maxTokens-reset" visible={changed} />}>
      <NumberField label="Max tokens" testId="sampler-maxTokens-input" value={maxTokens} spec={FIELD_SPECS.maxTokens} step={1} width="wide" onCommit={(v) => v !== undefined && updateSampling({ maxTokens: v })}>
        <MaxTokensSlider value={maxTokens} onChange={(value) => updateSampling({ maxTokens: value })} />
      </NumberField>
    </Sampler>
  );
}

function TrimWhitespace() {
  const trim = useAppStore((s) => s.editor.sampling.trimWhitespace);
  const { updateSampling } = useActions();
  return (
    <label className="toggle">
      <input type="checkbox" checked={trim} onChange={(e) => updateSampling({ trimWhitespace: e.target.checked })} />
      drop trailing whitespace from the output
    </label>
  );
}

function Seed() {
  const seed = useAppStore((s) => s.editor.sampling.seed);
  const { updateSampling } = useActions();
  return (
    <Sampler help="Same seed + same settings = same output. Empty: a new seed each run (the one used is kept in the history).">
      <NumberField
        label="Seed"
        testId="seed-input"
        value={seed}
        spec={FIELD_SPECS.seed}
        step={1}
        width="wide"
        placeholder="random"
        onCommit={(value) => updateSampling({ seed: value })}
      />
      <button type="button" className="btn-icon btn-icon-small" title="Pick a random seed" aria-label="Random seed" onClick={() => updateSampling({ seed: Math.floor(Math.random() * SEED_MAX) })}>
        ⚄
      </button>
      <button type="button" className="btn-icon btn-icon-small" title="A new seed each run" aria-label="Clear the seed" style={{ visibility: seed === undefined ? 'hidden' : 'visible' }} onClick={() => updateSampling({ seed: undefined })}>
        ×
      </button>
    </Sampler>
  );
}

function TopProbabilities() {
  const n = useAppStore((s) => s.editor.topProbabilities);
  const { setTopProbabilities } = useActions();
  return (
    <Sampler help="How many alternatives to record for each generated token (hover a token in the output).">
      <NumberField label="Alternatives" testId="top-probabilities-input" value={n} spec={FIELD_SPECS.topProbabilities} step={1} onCommit={(v) => v !== undefined && setTopProbabilities(v)} />
    </Sampler>
  );
}

function ResetAll() {
  const { resetSampling } = useActions();
  return (
    <div className="sampler-footer">
      <button type="button" className="btn btn-small" data-testid="sampling-reset-all" onClick={() => resetSampling()}>
        Reset every setting
      </button>
      <span className="sampler-help">Max tokens {UI_LIMITS.maxTokens.max} at most here.</span>
    </div>
  );
}
