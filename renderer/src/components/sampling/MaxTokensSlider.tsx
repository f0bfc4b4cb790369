// The max-tokens slider: logarithmic, since 1..64 must stay reachable on a track that ends at thousands.
import { MAX_TOKENS_SLIDER_STEPS, maxTokensToSlider, sliderToMaxTokens } from '../../store/sampling';

export function MaxTokensSlider(props: { value: number; onChange: (maxTokens: number) => void }) {
  return (
    <input
      type="range"
      className="slider"
      aria-label="Max tokens"
      min={0}
      max={MAX_TOKENS_SLIDER_STEPS}
      step={1}
      value={maxTokensToSlider(props.value)}
      onChange={(e) => props.onChange(sliderToMaxTokens(Number(e.target.value)))}
    />
  );
}
