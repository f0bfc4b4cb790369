// The variants side by side: one column per variant, one block per repeat. Each block streams its
// own text (tokens tinted by probability, hover for alternatives, click to fork), with its status
// ("queued" while it waits for a sequence), TTFT, tokens/s, token counts and finish reason; stop one
// run or the whole column. The column bodies scroll together.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TokenStep } from '../../../../core/api/contract';
import { finishReasonWords, formatMs, formatRate } from '../../lib/format';
import { useActions, useAppStore, useStoreApi } from '../../store';
import { stepAt } from '../../store/token-steps';
import { formatProbability } from '../../../../core/compare/probability';
import { ProbabilityTooltip, stepToken, useTokenHover, visibleToken } from '../output/ProbabilityTooltip';
import { TokenText } from '../output/TokenText';
import { MAX_COMPARISON_VARIANTS } from '../../../../core/compare/limits';

interface RunMeta {
  runId: string;
  variantId: string;
  repeat: number;
}

export function useRunMeta(): RunMeta[] {
  const runOrder = useAppStore((s) => s.compare.runOrder);
  const store = useStoreApi();
  return useMemo(() => {
    const runs = store.getState().compare.runs;
    return runOrder.flatMap((id) => {
      const r = runs[id];
      return r ? [{ runId: id, variantId: r.variantId, repeat: r.repeat }] : [];
    });
  }, [runOrder, store]);
}

export function CompareColumns({ tint, showPrompts }: { tint: boolean; showPrompts: boolean }) {
  const current = useAppStore((s) => s.compare.current);
  const meta = useRunMeta();
  const bodies = useRef(new Map<string, HTMLDivElement>());
  const syncing = useRef(false);
  const onScroll = useCallback((from: HTMLDivElement) => {
    if (syncing.current) return;
    syncing.current = true;
    for (const el of bodies.current.values()) if (el !== from) el.scrollTop = from.scrollTop;
    requestAnimationFrame(() => (syncing.current = false));
  }, []);
  const register = useCallback((id: string, el: HTMLDivElement | null) => {
    if (el) bodies.current.set(id, el);
    else bodies.current.delete(id);
  }, []);
  if (!current) return null;
  const variants = current.spec.variants;
  return (
    <div className="cmp-columns" data-testid="compare-columns" style={{ gridTemplateColumns: `repeat(${variants.length}, minmax(180px, 1fr))` }}>
      {variants.map((v) => (
        <Column
          key={v.id}
          variantId={v.id}
          runs={meta.filter((m) => m.variantId === v.id)}
          tint={tint}
          showPrompt={showPrompts}
          register={register}
          onScroll={onScroll}
        />
      ))}
    </div>
  );
}

const Column = memo(function Column(props: {
  variantId: string;
  runs: RunMeta[];
  tint: boolean;
  showPrompt: boolean;
  register(id: string, el: HTMLDivElement | null): void;
  onScroll(el: HTMLDivElement): void;
}) {
  const { variantId, runs } = props;
  const variant = useAppStore((s) => s.compare.current?.spec.variants.find((v) => v.id === variantId));
  const prompt = useAppStore((s) => s.compare.current?.prompts[variantId] ?? '');
  const forced = useAppStore((s) => s.compare.current?.forced[variantId]);
  const model = useAppStore((s) => (variant ? s.models.byId[variant.modelId]?.fileName : undefined));
  const winner = useAppStore((s) => s.compare.verdict.winner === variantId);
  const anyActive = useAppStore((s) => runs.some((r) => isActive(s.compare.runs[r.runId]?.status)));
  const [ownPrompt, setOwnPrompt] = useState(false);
  const { stopCompareRun } = useActions();
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    props.register(variantId, body.current);
    return () => props.register(variantId, null);
  }, [props.register, variantId]);
  if (!variant) return null;
  const s = variant.sampling;
  const showPrompt = props.showPrompt || ownPrompt;
  return (
    <section className={`cmp-col${winner ? ' cmp-col-winner' : ''}`} data-testid="compare-column" data-variant={variantId} aria-label={variant.label}>
      <header className="cmp-col-head">
        <div className="cmp-col-title">
          <span className="cmp-letter">{variantId}</span>
          <span className="cmp-col-label" data-testid="column-label" title={variant.label}>
            {variant.label}
          </span>
          {winner ? <span className="cmp-winner-badge" title="Overall winner">★ winner</span> : null}
          <span className="toolbar-spacer" />
          <button type="button" className={`btn-icon btn-icon-small${ownPrompt ? ' active' : ''}`} data-testid="column-prompt-toggle" aria-pressed={ownPrompt} title="Show this variant's prompt" onClick={() => setOwnPrompt(!ownPrompt)}>
            ¶
          </button>
          {anyActive ? (
            <button type="button" className="btn btn-small btn-danger" data-testid="column-stop" onClick={() => runs.forEach((r) => stopCompareRun(r.runId))}>
              Stop
            </button>
          ) : null}
        </div>
        <div className="cmp-col-meta" title={`${model ?? variant.modelId} · temperature ${s.temperature} · top-p ${s.topP} · top-k ${s.topK} · max ${s.maxTokens}`}>
          {model ?? variant.modelId} · T {s.temperature} · max {s.maxTokens}
          {variant.prefix?.length ? <span className="cmp-fork-badge"> · fork · {variant.prefix.length} forced</span> : null}
        </div>
      </header>
      <div ref={body} className="cmp-col-body" onScroll={(e) => props.onScroll(e.currentTarget)}>
        {showPrompt ? (
          <pre className="cmp-prompt" data-testid="column-prompt">
            {prompt}
          </pre>
        ) : null}
        {runs.map((r) => (
          <RunBlock key={r.runId} runId={r.runId} tint={props.tint} forced={forced ?? (variant.prefix?.length ? null : '')} repeats={runs.length} />
        ))}
      </div>
    </section>
  );
});

const isActive = (status: string | undefined) => status === 'starting' || status === 'queued' || status === 'running';

const RunBlock = memo(function RunBlock({ runId, tint, forced, repeats }: { runId: string; tint: boolean; forced: string | null; repeats: number }) {
  const run = useAppStore((s) => s.compare.runs[runId]);
  const store = useStoreApi();
  const box = useRef<HTMLDivElement>(null);
  const steps = useCallback(() => store.getState().compare.runs[runId]?.steps ?? [], [store, runId]);
  const hover = useTokenHover(box, steps);
  const [fork, setFork] = useState<{ index: number; step: TokenStep; x: number; y: number } | null>(null);
  const { stopCompareRun } = useActions();
  useLayoutEffect(() => {
    // Follow the stream inside the block.
    const el = box.current;
    if (el && run && isActive(run.status)) el.scrollTop = el.scrollHeight;
  }, [run?.text]);
  if (!run) return null;
  const done = run.status === 'done' || run.status === 'cancelled';
  const m = run.result?.metrics;
  const rate = run.status === 'running' ? run.liveTokensPerSecond : (m?.tokensPerSecond ?? null);
  return (
    <div className={`cmp-run cmp-run-${run.status}`} data-testid="run-block" data-run={runId} data-status={run.status} data-repeat={run.repeat}>
      <div className="cmp-run-head">
        {repeats > 1 ? <span className="cmp-repeat">#{run.repeat + 1}</span> : null}
        <span className={`cmp-status cmp-status-${run.status}`} data-testid="run-status">
          {run.stopRequested && isActive(run.status) ? 'stopping…' : run.status}
        </span>
        <span className="cmp-metric" title="Time to first token">
          TTFT <b data-testid="run-ttft">{run.ttftMs === null ? '—' : formatMs(run.ttftMs)}</b>
        </span>
        <span className="cmp-metric" title="Generated tokens per second (after the first token)">
          <b data-testid="run-tps">{formatRate(rate)}</b> tok/s
        </span>
        <span className="cmp-metric" title="Prompt tokens → generated tokens">
          <b data-testid="run-prompt-tokens">{m ? m.promptTokens : '—'}</b>→<b data-testid="run-tokens">{run.tokenCount}</b> tok
        </span>
        {run.result ? (
          <span className="cmp-metric cmp-finish" data-testid="run-finish">
            {finishReasonWords(run.result.finishReason)}
          </span>
        ) : null}
        <span className="toolbar-spacer" />
        {isActive(run.status) ? (
          <button type="button" className="btn-icon btn-icon-small" data-testid="run-stop" title="Stop this run" aria-label="Stop this run" onClick={() => stopCompareRun(runId)}>
            ■
          </button>
        ) : null}
      </div>
      {run.error ? (
        <div className="cmp-run-error" role="alert" data-testid="run-error">
          {run.error}
        </div>
      ) : null}
      <div
        ref={box}
        className={`cmp-run-text output-text${tint ? ' tint' : ''}`}
        onClick={(e) => {
          if (!done) return;
          const target = (e.target as HTMLElement).closest<HTMLElement>('[data-s]');
          if (!target) return setFork(null);
          const index = Number(target.dataset.s);
          const step = stepAt(run.steps, index);
          if (!step) return;
          const rect = target.getBoundingClientRect();
          setFork({ index, step, x: rect.left, y: rect.bottom });
        }}
      >
        {forced ? (
          <span className="cmp-forced" title="Forced tokens (the fork's prefix)">
            {forced}
          </span>
        ) : forced === null ? (
          <span className="cmp-forced">fork› </span>
        ) : null}
        <TokenText testId="compare-output" text={run.text} steps={run.steps} final={!isActive(run.status)} />
        {isActive(run.status) && run.status !== 'queued' ? <span className="caret" aria-hidden /> : null}
        {run.status === 'queued' ? <span className="cmp-queued">waiting for a free sequence…</span> : null}
      </div>
      {fork ? null : <ProbabilityTooltip hover={hover} />}
      {fork ? <ForkMenu runId={runId} fork={fork} onClose={() => setFork(null)} /> : null}
      {done ? <Rating runId={runId} variantId={run.variantId} repeat={run.repeat} /> : null}
    </div>
  );
});

function ForkMenu({ runId, fork, onClose }: { runId: string; fork: { index: number; step: TokenStep; x: number; y: number }; onClose(): void }) {
  const { forkFrom } = useActions();
  const full = useAppStore((s) => (s.compare.current?.spec.variants.length ?? 0) >= MAX_COMPARISON_VARIANTS);
  const alternatives = fork.step.top.filter((t) => t.id !== fork.step.id);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const left = Math.min(fork.x, window.innerWidth - 280);
  const top = fork.y + 6 > window.innerHeight - 220 ? fork.y - 230 : fork.y + 6;
  return (
    <div className="token-tooltip cmp-fork-menu" data-testid="fork-menu" style={{ left, top }} role="menu">
      <div className="tt-head">
        <span>
          Fork at token #{fork.index + 1} <code className="tt-token">{stepToken(fork.step)}</code> ({pct(fork.step.p)})
        </span>
        <button type="button" className="btn-icon btn-icon-small" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="tt-meta">Continue from here with another token, as a new variant:</div>
      {full ? <div className="tt-meta">Six variants already: no room for a fork.</div> : null}
      {alternatives.length === 0 ? <div className="tt-meta">No alternatives recorded at this token.</div> : null}
      <ol className="tt-alternatives">
        {alternatives.map((alt) => (
          <li key={alt.id}>
            <button
              type="button"
              className="cmp-fork-alt"
              data-testid="fork-alt"
              disabled={full}
              onClick={() => {
                onClose();
                void forkFrom(runId, fork.index, { id: alt.id, text: alt.text });
              }}
            >
              <code>{visibleToken(alt.text)}</code>
              <span className="tt-bar">
                <span style={{ width: `${Math.max(1, alt.p * 100)}%` }} />
              </span>
              <span className="tt-alt-p">{pct(alt.p)}</span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

const pct = formatProbability;

function Rating({ runId, variantId, repeat }: { runId: string; variantId: string; repeat: number }) {
  const rating = useAppStore((s) => s.compare.verdict.ratings[runId]);
  const isWinner = useAppStore((s) => s.compare.verdict.winners[String(repeat)] === variantId);
  const { rateRun, setRepeatWinner } = useActions();
  return (
    <div className="cmp-rating" data-testid="run-rating">
      <button type="button" className={`btn-icon btn-icon-small${rating?.thumb === 1 ? ' active' : ''}`} data-testid="rate-up" aria-pressed={rating?.thumb === 1} title="Good" onClick={() => rateRun(runId, { thumb: rating?.thumb === 1 ? null : 1 })}>
        ▲
      </button>
      <button type="button" className={`btn-icon btn-icon-small${rating?.thumb === -1 ? ' active' : ''}`} data-testid="rate-down" aria-pressed={rating?.thumb === -1} title="Bad" onClick={() => rateRun(runId, { thumb: rating?.thumb === -1 ? null : -1 })}>
        ▼
      </button>
      <span className="cmp-stars" role="radiogroup" aria-label="Stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={rating?.stars === n}
            className={`cmp-star${(rating?.stars ?? 0) >= n ? ' on' : ''}`}
            data-testid={`rate-star-${n}`}
            title={`${n} star${n > 1 ? 's' : ''}`}
            onClick={() => rateRun(runId, { stars: rating?.stars === n ? null : n })}
          >
            ★
          </button>
        ))}
      </span>
      <span className="toolbar-spacer" />
      <button
        type="button"
        className={`btn btn-small${isWinner ? ' btn-primary' : ''}`}
        data-testid="pick-winner"
        aria-pressed={isWinner}
        title={`The best output of repeat #${repeat + 1}`}
        onClick={() => setRepeatWinner(repeat, isWinner ? null : variantId)}
      >
        {isWinner ? '✓ best' : 'best'}
      </button>
    </div>
  );
}
