// The completion as it streams (one span per token: hover for its probability and alternatives,
// optionally tinted by probability), live counters while running, and the run's metrics once it ends.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { extractAnswer } from '../../../core/prompt/index';
import { finishReasonWords, formatMs, formatRate, isMac } from '../lib/format';
import { useActions, useAppStore, useStoreApi } from '../store';
import { InlineAlert } from './InlineAlert';
import { ProbabilityTooltip, useTokenHover } from './output/ProbabilityTooltip';
import { TokenText } from './output/TokenText';

export function OutputPanel() {
  const [showPrompt, setShowPrompt] = useState(true);
  const [tint, setTint] = useState(false);
  return (
    <section className="pane output-pane" aria-label="Output">
      <header className="pane-header">
        <h2 className="pane-title">Output</h2>
        <RunStatusBadge />
        <LiveCounters />
        <label className="toggle" title="Tint each token by how likely it was (hover a token for the numbers)">
          <input type="checkbox" data-testid="tint-toggle" checked={tint} onChange={(e) => setTint(e.target.checked)} />
          tint
        </label>
        <label className="toggle" title="Show the prompt, dimmed, before the generated text">
          <input type="checkbox" checked={showPrompt} onChange={(e) => setShowPrompt(e.target.checked)} />
          prompt
        </label>
      </header>
      <RunError />
      <OutputText showPrompt={showPrompt} tint={tint} />
      <RunSummary />
    </section>
  );
}

function RunStatusBadge() {
  const status = useAppStore((s) => s.run.status);
  const stopping = useAppStore((s) => s.run.stopRequested && s.run.status === 'running');
  const loadingModel = useAppStore((s) => {
    if (s.run.status !== 'running' || !s.run.modelId) return false;
    return s.models.byId[s.run.modelId]?.state === 'loading';
  });
  const detail = stopping ? 'stopping…' : loadingModel ? 'loading model…' : null;
  return (
    <span className={`run-status run-status-${status}`}>
      <span data-testid="run-status">{status}</span>
      {detail && <span className="run-status-detail">· {detail}</span>}
    </span>
  );
}

function LiveCounters() {
  const tokens = useAppStore((s) => s.run.tokenCount);
  const rate = useAppStore((s) => (s.run.status === 'running' ? s.run.liveTokensPerSecond : (s.run.metrics?.tokensPerSecond ?? null)));
  return (
    <span className="counters">
      <span className="counter" title="Generated tokens">
        <span data-testid="token-count" className="counter-value">
          {tokens}
        </span>
        <span className="counter-unit">tok</span>
      </span>
      <span className="counter" title="Generated tokens per second (after the first token)">
        <span data-testid="tokens-per-second" className="counter-value">
          {formatRate(rate)}
        </span>
        <span className="counter-unit">tok/s</span>
      </span>
    </span>
  );
}

function RunError() {
  const error = useAppStore((s) => s.run.error);
  if (!error) return null;
  return (
    <InlineAlert testId="run-error" className="run-error">
      {error}
    </InlineAlert>
  );
}

function OutputText({ showPrompt, tint }: { showPrompt: boolean; tint: boolean }) {
  const text = useAppStore((s) => s.run.text);
  const steps = useAppStore((s) => s.run.steps);
  const prompt = useAppStore((s) => s.run.prompt);
  const status = useAppStore((s) => s.run.status);
  const store = useStoreApi();
  const scroller = useRef<HTMLDivElement>(null);
  // Follow the stream unless the user scrolled up to read.
  const stuck = useRef(true);
  const currentSteps = useCallback(() => store.getState().run.steps, [store]);
  const hover = useTokenHover(scroller, currentSteps);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [text, showPrompt]);

  return (
    <div
      ref={scroller}
      className="output-scroll"
      onScroll={(e) => {
        const el = e.currentTarget;
        stuck.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {status === 'idle' ? (
        <div className="pane-placeholder">
          Run the prompt with <kbd>{isMac() ? '⌘' : 'Ctrl'}+Enter</kbd>. The completion streams here; hover a token to see how likely it was.
        </div>
      ) : null}
      <pre className={`output-text${tint ? ' tint' : ''}`} hidden={status === 'idle'}>
        {showPrompt && prompt ? <span className="prompt-echo">{prompt}</span> : null}
        <TokenText testId="output" text={text} steps={steps} final={status !== 'running'} />
        {status === 'running' ? <span className="caret" aria-hidden /> : null}
      </pre>
      <ProbabilityTooltip hover={hover} />
    </div>
  );
}

function RunSummary() {
  const metrics = useAppStore((s) => s.run.metrics);
  const finishReason = useAppStore((s) => s.run.finishReason);
  const historyId = useAppStore((s) => s.run.historyId);
  const historyError = useAppStore((s) => s.run.historyError);
  const { openRun } = useActions();
  if (!metrics || !finishReason) return null;
  const items: [string, string, string][] = [
    ['finish', finishReasonWords(finishReason), 'finish-reason'],
    ['TTFT', formatMs(metrics.ttftMs), 'ttft'],
    ['prompt', `${metrics.promptTokens} tok`, 'prompt-tokens'],
    ['generated', `${metrics.generatedTokens} tok`, 'generated-tokens'],
    ['speed', `${formatRate(metrics.tokensPerSecond)} tok/s`, 'final-tokens-per-second'],
    ['total', formatMs(metrics.totalMs), 'total-time'],
  ];
  return (
    <dl className="run-summary">
      {items.map(([label, value, testId]) => (
        <div key={label} className="metric">
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
      <Answer />
      {historyId ? (
        <button type="button" className="link-button" data-testid="run-history-link" title="Open this run in the history" onClick={() => void openRun(historyId)}>
          in history ↗
        </button>
      ) : historyError ? (
        <span className="metric-error" title={historyError}>
          not kept in history
        </span>
      ) : null}
    </dl>
  );
}

/** The template's answer, read from the output by its extraction rule (template runs only). */
function Answer() {
  const extraction = useAppStore((s) => s.run.extraction);
  const text = useAppStore((s) => s.run.text);
  const answer = useMemo(() => (extraction && extraction.rule !== 'full' ? extractAnswer(text, extraction) : undefined), [extraction, text]);
  if (answer === undefined) return null;
  return (
    <div className="metric" title={`Read by the template's answer rule (${extraction?.rule})`}>
      <dt>answer</dt>
      <dd data-testid="run-answer" className={answer === null ? 'answer-missing' : 'answer'}>
        {answer ?? 'none found'}
      </dd>
    </div>
  );
}
