// Prompt tokens + max tokens against the model's context size, with a warning before it overflows.
import { selectSelectedModel, useAppStore } from '../../store';

/** Above this share of the context the meter warns. */
const NEAR = 0.9;

export function ContextMeter() {
  const promptTokens = useAppStore((s) => s.preview.rendered?.tokens.length ?? null);
  const contextSize = useAppStore((s) => s.preview.rendered?.contextSize ?? selectSelectedModel(s)?.contextSize ?? null);
  const maxTokens = useAppStore((s) => s.editor.sampling.maxTokens);

  if (promptTokens === null || !contextSize) {
    return (
      <div className="context-meter" data-testid="context-meter" data-level="unknown">
        <span className="meter-label">context</span>
        <span className="meter-track" />
        <span className="meter-text">{contextSize ? `${maxTokens} max of ${contextSize}` : 'needs the loaded model'}</span>
      </div>
    );
  }
  const total = promptTokens + maxTokens;
  const level = promptTokens >= contextSize || total > contextSize ? 'over' : total > contextSize * NEAR ? 'near' : 'ok';
  const promptShare = Math.min(1, promptTokens / contextSize);
  const outputShare = Math.min(1 - promptShare, maxTokens / contextSize);
  const warning =
    promptTokens >= contextSize
      ? `The prompt alone (${promptTokens} tokens) does not fit the context of ${contextSize}: shorten it or load the model with a larger context.`
      : total > contextSize
        ? `Prompt + max tokens (${total}) is over the context of ${contextSize}: the output stops after ${contextSize - promptTokens} tokens.`
        : level === 'near'
          ? `Close to the context size: ${contextSize - total} tokens to spare.`
          : null;
  return (
    <div className={`context-meter context-${level}`} data-testid="context-meter" data-level={level}>
      <span className="meter-label">context</span>
      <span
        className="meter-track"
        role="meter"
        aria-label="Context used by prompt and max tokens"
        aria-valuemin={0}
        aria-valuemax={contextSize}
        aria-valuenow={Math.min(total, contextSize)}
      >
        <span className="meter-prompt" style={{ width: `${promptShare * 100}%` }} />
        <span className="meter-output" style={{ left: `${promptShare * 100}%`, width: `${outputShare * 100}%` }} />
      </span>
      <span className="meter-text" title="prompt tokens + max tokens / context size">
        {promptTokens} + {maxTokens} / {contextSize}
      </span>
      {warning ? (
        <span className="meter-warning" data-testid="context-warning" role={level === 'over' ? 'alert' : 'status'}>
          {warning}
        </span>
      ) : null}
    </div>
  );
}
