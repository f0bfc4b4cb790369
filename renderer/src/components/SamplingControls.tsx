// Temperature, max tokens and seed. The store always holds valid values; these only edit them.
import { useActions, useAppStore } from '../store';
import {
  FIELD_SPECS,
  MAX_TOKENS_SLIDER_STEPS,
  UI_LIMITS,
  maxTokensToSlider,
  roundToStep,
  sliderToMaxTokens,
} from '../store/sampling';
import { NumberField } from './NumberField';

export function SamplingControls() {
  return (
    <div className="sampling-controls">
      <TemperatureControl />
      <MaxTokensControl />
      <SeedControl />
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
      title="Temperature: 0 is greedy (always the most likely token); higher is more random."
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
      <input
        type="range"
        className="slider"
        aria-label="Max tokens"
        min={0}
        max={MAX_TOKENS_SLIDER_STEPS}
        step={1}
        value={maxTokensToSlider(maxTokens)}
        onChange={(e) => updateSampling({ maxTokens: sliderToMaxTokens(Number(e.target.value)) })}
      />
    </NumberField>
  );
}

function SeedControl() {
  const seed = useAppStore((s) => s.editor.sampling.seed);
  const { updateSampling } = useActions();
  return (
    <NumberField
      label="Seed"
      title="Same seed + same settings = same output. Empty: a new random seed per run."
      testId="seed-input"
      value={seed}
      spec={FIELD_SPECS.seed}
      step={1}
      width="wide"
      placeholder="random"
      onCommit={(value) => updateSampling({ seed: value })}
    />
  );
}
