// One stored run: prompt, settings, output (with token probabilities when kept), metrics and the
// reproducibility record; re-run it, open it in the editor, or delete it.
import { useCallback, useMemo, useRef } from 'react';
import type { FinishReason, StoredRun, TokenStep } from '../../../../core/api/contract';
import { fileNameOf, finishReasonWords, formatMs, formatRate } from '../../lib/format';
import { useActions, useAppStore } from '../../store';
import { chunksFromSteps } from '../../store/token-steps';
import { Dialog } from '../Dialog';
import { InlineAlert } from '../InlineAlert';
import { ProbabilityTooltip, useTokenHover } from '../output/ProbabilityTooltip';
import { TokenText } from '../output/TokenText';

export function RunDialog() {
  const open = useAppStore((s) => s.history.open);
  const { closeRun } = useActions();
  if (!open) return null;
  return (
    <Dialog title="Run" testId="run-dialog" onClose={closeRun} wide actions={open.run ? <RunActions run={open.run} /> : null}>
      {open.loading ? <div className="pane-placeholder">Loading…</div> : null}
      {open.error ? <InlineAlert testId="run-dialog-error">{open.error}</InlineAlert> : null}
      {open.run ? <RunDetail run={open.run} /> : null}
    </Dialog>
  );
}

function RunActions({ run }: { run: StoredRun }) {
  const { rerun, openRunInEditor, deleteRun, openTemplate, closeRun } = useActions();
  const running = useAppStore((s) => s.run.status === 'running');
  return (
    <div className="dialog-actions">
      <button type="button" className="btn btn-small btn-primary" data-testid="run-rerun" disabled={running} title="Run it again: same model, prompt and settings (seed included)" onClick={() => void rerun(run.id)}>
        Re-run
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="run-to-editor"
        disabled={run.mode !== 'completion'}
        title={run.mode === 'completion' ? 'Put the prompt and settings in the Raw editor' : 'Chat runs cannot be edited as raw text'}
        onClick={() => openRunInEditor(run.id)}
      >
        Open in editor
      </button>
      {run.templateId ? (
        <button
          type="button"
          className="btn btn-small"
          data-testid="run-open-template"
          onClick={() => {
            closeRun();
            void openTemplate(run.templateId!);
          }}
        >
          Open template
        </button>
      ) : null}
      <button type="button" className="btn btn-small btn-danger" data-testid="run-delete" onClick={() => void deleteRun(run.id)}>
        Delete
      </button>
    </div>
  );
}

function RunDetail({ run }: { run: StoredRun }) {
  const steps = useMemo(() => (Array.isArray(run.probabilities) ? chunksFromSteps(run.probabilities as TokenStep[]) : chunksFromSteps([])), [run.probabilities]);
  const scroller = useRef<HTMLPreElement>(null);
  const getSteps = useCallback(() => steps, [steps]);
  const hover = useTokenHover(scroller, getSteps);
  const metrics = run.metrics as Record<string, number | undefined>;
  const record = run.record as { seed?: number; sampling?: Record<string, unknown>; model?: { fileName?: string; sha256?: string } };
  return (
    <div className="run-detail" data-testid="run-detail">
      <div className="run-facts">
        <span>{new Date(run.createdAt).toLocaleString()}</span>
        <span title={run.modelPath}>{fileNameOf(run.modelPath)}</span>
        <span>{run.mode}</span>
        {run.templateId ? <span>template {run.templateVersion ? `v${run.templateVersion}` : '(unsaved edits)'}</span> : <span>no template</span>}
        <span>{finishReasonWords(run.finishReason as FinishReason)}</span>
      </div>
      <div className="run-columns">
        <div className="run-column">
          <h3 className="section-title">Prompt</h3>
          <pre className="run-block" data-testid="run-prompt">
            {run.mode === 'chat' ? formatChat(run.prompt) : run.prompt}
          </pre>
          <h3 className="section-title">Output</h3>
          <pre className="run-block output-text tint" data-testid="run-output" ref={scroller}>
            <TokenText text={run.output} steps={steps} final />
          </pre>
          <ProbabilityTooltip hover={hover} />
        </div>
        <div className="run-column run-column-side">
          <h3 className="section-title">Metrics</h3>
          <dl className="kv" data-testid="run-metrics">
            <dt>prompt</dt>
            <dd>{metrics.promptTokens ?? '—'} tok</dd>
            <dt>generated</dt>
            <dd>{metrics.generatedTokens ?? '—'} tok</dd>
            <dt>TTFT</dt>
            <dd>{metrics.ttftMs !== undefined ? formatMs(metrics.ttftMs) : '—'}</dd>
            <dt>speed</dt>
            <dd>{formatRate(metrics.tokensPerSecond)} tok/s</dd>
            <dt>total</dt>
            <dd>{metrics.totalMs !== undefined ? formatMs(metrics.totalMs) : '—'}</dd>
          </dl>
          <h3 className="section-title">Settings</h3>
          <dl className="kv" data-testid="run-settings">
            {Object.entries(record.sampling ?? run.sampling).map(([key, value]) => (
              <FragmentKV key={key} name={key} value={value} />
            ))}
          </dl>
          <details>
            <summary className="section-title">Reproducibility record</summary>
            <pre className="run-block run-record" data-testid="run-record">
              {JSON.stringify(run.record, null, 2)}
            </pre>
          </details>
        </div>
      </div>
    </div>
  );
}

function FragmentKV({ name, value }: { name: string; value: unknown }) {
  const text = Array.isArray(value) && value.length === 0 ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return (
    <>
      <dt>{name}</dt>
      <dd>{text}</dd>
    </>
  );
}

function formatChat(prompt: string): string {
  try {
    const messages = JSON.parse(prompt) as { role: string; content: string }[];
    return messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
  } catch {
    return prompt;
  }
}
