// The run bar's quick settings: preset, temperature and max tokens (every other sampler is in the
// Sampling panel). The store always holds valid values; these only edit them.
import { useActions, useAppStore } from '../store';
import {
  FIELD_SPECS,
  UI_LIMITS,
  roundToStep,
} from '../store/sampling';
import { MaxTokensSlider } from './sampling/MaxTokensSlider';
import { NumberField } from './NumberField';
import { PresetPicker } from './sampling/PresetPicker';

export function SamplingControls() {
  return (
    <div className="sampling-controls">
      <PresetPicker />
      <TemperatureControl />
      <MaxTokensControl />
      <MoreSamplers />
    </div>
  );
}

function TemperatureControl() {
  const temperature = useAppStore((s) => s.editor.sampling.temperature);
  const { updateSampling } = useActions();
  const { min, max, step } = UI_LIMITS.temperature;
  return (
    <NumberField
      label="Temp"
      title="Temperature: randomness. 0 always takes the most likely token; higher spreads the choice."
      testId="temperature-input"
      value={temperature}
      spec={FIELD_SPECS.temperature}
      step={step}
      onCommit={(value) => value !== undefined && updateSampling({ temperature: value })}
    >
      <input
        type="range"
        className="slider"
        aria-label="Temperature"
        data-testid="temperature-slider"
        min={min}
        max={max}
        step={step}
        value={temperature}
        onChange={(e) => updateSampling({ temperature: roundToStep(Number(e.target.value), step) })}
      />
    </NumberField>
  );
}

function MaxTokensControl() {
  const maxTokens = useAppStore((s) => s.editor.sampling.maxTokens);
  const { updateSampling } = useActions();
  return (
    <NumberField
      label="Max tokens"
      title={`Stop after this many generated tokens (${UI_LIMITS.maxTokens.min}–${UI_LIMITS.maxTokens.max}).`}
      testId="max-tokens-input"
      value={maxTokens}
      spec={FIELD_SPECS.maxTokens}
      step={UI_LIMITS.maxTokens.step}
      width="wide"
      onCommit={(value) => value !== undefined && updateSampling({ maxTokens: value })}
    >
      <MaxTokensSlider value={maxTokens} onChange={(value) => updateSampling({ maxTokens: value })} />
    </NumberField>
  );
}

function MoreSamplers() {
  const { setSidebar } = useActions();
  return (
    <button type="button" className="btn btn-small btn-subtle" data-testid="open-sampling" title="Every sampler, with what it does" onClick={() => setSidebar('sampling')}>
      All samplers…
    </button>
  );
}
