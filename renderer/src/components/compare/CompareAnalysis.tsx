// Below the columns: the difference between two outputs (word or token level, first divergence and
// how likely each side's token was under the other), agreement over repeats, the prompts (and their
// diff), and the verdict (tally, winners, notes, save, export).
import { useEffect, useMemo, useState } from 'react';
import type { TokenStep } from '../../../../core/api/contract';
import { firstDivergence, groupIdentical, samplerDistribution, selfConsistency, tokenDiff, wordDiff, type Segment } from '../../../../core/compare/index';
import { downloadText } from '../../lib/download';
import { tallyVerdict } from '../../store/compare-variants';
import { useActions, useAppStore, useStoreApi } from '../../store';
import { Segmented } from '../Segmented';
import { useRunMeta } from './CompareColumns';
import { DivergenceBanner, type CrossScores } from './DivergenceBanner';

type Tab = 'diff' | 'agreement' | 'prompts' | 'verdict';
const TABS = [
  { value: 'diff', label: 'Diff', title: 'Where two outputs differ' },
  { value: 'agreement', label: 'Agreement', title: 'Identical outputs and extracted answers over repeats' },
  { value: 'prompts', label: 'Prompts', title: 'Each variant’s prompt, and a diff of two' },
  { value: 'verdict', label: 'Verdict', title: 'Ratings, winners, notes; save and export' },
] as const;

/** Re-renders when a run finishes (not per streamed token). */
function useFinishedKey(): string {
  return useAppStore((s) => s.compare.runOrder.filter((id) => s.compare.runs[id]?.result).join(','));
}


export function CompareAnalysis() {
  const [tab, setTab] = useState<Tab>('diff');
  return (
    <section className="cmp-analysis pane" aria-label="Analysis" data-testid="compare-analysis">
      <header className="pane-header">
        <Segmented<Tab> label="Analysis" value={tab} options={TABS} onChange={setTab} testIdPrefix="analysis" size="small" />
      </header>
      <div className="cmp-analysis-body">
        {tab === 'diff' ? <DiffView /> : tab === 'agreement' ? <AgreementView /> : tab === 'prompts' ? <PromptsView /> : <VerdictView />}
      </div>
    </section>
  );
}

function useRunLabels() {
  const current = useAppStore((s) => s.compare.current);
  const meta = useRunMeta();
  return useMemo(() => {
    const repeats = current?.spec.repeats ?? 1;
    return meta.map((m) => {
      const label = current?.spec.variants.find((v) => v.id === m.variantId)?.label ?? m.variantId;
      return { ...m, label: repeats > 1 ? `${label} · #${m.repeat + 1}` : label };
    });
  }, [current, meta]);
}

function DiffView() {
  const labels = useRunLabels();
  const finished = useFinishedKey();
  const store = useStoreApi();
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  const [mode, setMode] = useState<'word' | 'token'>('word');
  const done = labels.filter((l) => finished.split(',').includes(l.runId));
  const runA = a && done.some((d) => d.runId === a) ? a : (done[0]?.runId ?? null);
  const runB = b && done.some((d) => d.runId === b) ? b : (done.find((d) => d.variantId !== done[0]?.variantId)?.runId ?? done[1]?.runId ?? null);
  const data = useMemo(() => {
    if (!runA || !runB) return null;
    const s = store.getState().compare;
    const ra = s.runs[runA]?.result;
    const rb = s.runs[runB]?.result;
    if (!ra || !rb) return null;
    return {
      ra,
      rb,
      divergence: firstDivergence(ra.steps, rb.steps),
      segments: mode === 'word' ? wordDiff(ra.text, rb.text) : tokenDiff(ra.steps, rb.steps),
    };
  }, [runA, runB, mode, finished, store]);
  if (done.length < 2) return <div className="pane-placeholder">The diff appears when two outputs are finished.</div>;
  return (
    <div className="cmp-diff" data-testid="diff-view">
      <div className="cmp-diff-bar">
        <select data-testid="diff-a" value={runA ?? ''} onChange={(e) => setA(e.target.value)} aria-label="Output A">
          {done.map((d) => (
            <option key={d.runId} value={d.runId}>
              {d.label}
            </option>
          ))}
        </select>
        <span>vs</span>
        <select data-testid="diff-b" value={runB ?? ''} onChange={(e) => setB(e.target.value)} aria-label="Output B">
          {done.map((d) => (
            <option key={d.runId} value={d.runId}>
              {d.label}
            </option>
          ))}
        </select>
        <Segmented<'word' | 'token'>
          label="Diff level"
          value={mode}
          options={[
            { value: 'word', label: 'Words' },
            { value: 'token', label: 'Tokens' },
          ]}
          onChange={setMode}
          testIdPrefix="diff-mode"
          size="small"
        />
      </div>
      {data ? (
        <>
          <Divergence runA={runA!} runB={runB!} divergence={data.divergence} stepsA={data.ra.steps} />
          <pre className="cmp-diff-text" data-testid="diff-text">
            <DiffSegments segments={data.segments} mode={mode} />
          </pre>
          <div className="cmp-diff-legend">
            <span className="seg-remove">only in A</span> <span className="seg-add">only in B</span>
          </div>
        </>
      ) : null}
    </div>
  );
}

function DiffSegments({ segments, mode }: { segments: Segment[]; mode: 'word' | 'token' }) {
  return (
    <>
      {segments.map((s, i) => (
        <span key={i} className={`seg-${s.op}${mode === 'token' && s.op !== 'equal' ? ' seg-token' : ''}`} data-op={s.op}>
          {s.text}
        </span>
      ))}
    </>
  );
}

/** Scores only what the runs did not record (see DivergenceBanner), with each run's own sampler settings. */
function Divergence({ runA, runB, divergence, stepsA }: { runA: string; runB: string; divergence: ReturnType<typeof firstDivergence>; stepsA: readonly TokenStep[] }) {
  const store = useStoreApi();
  const [scores, setScores] = useState<(CrossScores & { key: string }) | null>(null);
  const key = `${runA}|${runB}|${divergence?.index ?? -1}`;
  const { scoreTokens } = useActions();
  useEffect(() => {
    if (!divergence || !divergence.a || !divergence.b) return;
    let live = true;
    const s = store.getState().compare;
    const ra = s.runs[runA];
    const rb = s.runs[runB];
    const va = s.current?.spec.variants.find((v) => v.id === ra?.variantId);
    const vb = s.current?.spec.variants.find((v) => v.id === rb?.variantId);
    if (!va || !vb) return;
    const common = stepsA.slice(0, divergence.index).map((st) => st.id);
    const score = (v: typeof va, candidate: number, recorded: number | undefined) =>
      recorded !== undefined
        ? Promise.resolve(recorded)
        : scoreTokens({ modelId: v.modelId, input: v.input, prefix: [...(v.prefix ?? []), ...common], candidates: [candidate], ...samplerDistribution(v.sampling) }).then((r) => r[0]?.p);
    Promise.all([score(va, divergence.b.id, divergence.pBinA), score(vb, divergence.a.id, divergence.pAinB)]).then(
      ([bInA, aInB]) => live && setScores({ key, bInA, aInB }),
      (error: unknown) => live && setScores({ key, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return <DivergenceBanner divergence={divergence} scores={scores?.key === key ? scores : null} />;
}

function AgreementView() {
  const current = useAppStore((s) => s.compare.current);
  const finished = useFinishedKey();
  const meta = useRunMeta();
  const store = useStoreApi();
  const rows = useMemo(() => {
    if (!current) return [];
    const runs = store.getState().compare.runs;
    return current.spec.variants.map((v) => {
      const outputs = meta.filter((m) => m.variantId === v.id).flatMap((m) => (runs[m.runId]?.result ? [runs[m.runId]!.result!.text] : []));
      const rule = current.extraction[v.id];
      const agreement = rule && rule.rule !== 'full' && outputs.length ? selfConsistency(outputs, rule) : null;
      return { variant: v, outputs, groups: groupIdentical(outputs), agreement };
    });
  }, [current, finished, meta, store]);
  if (!current) return null;
  return (
    <div className="cmp-agreement" style={{ gridTemplateColumns: `repeat(${rows.length}, minmax(160px, 1fr))` }}>
      {rows.map(({ variant, outputs, groups, agreement }) => (
        <div key={variant.id} className="cmp-agree-col" data-testid="agreement-variant" data-variant={variant.id}>
          <div className="cmp-agree-head">
            <span className="cmp-letter">{variant.id}</span> {variant.label}
          </div>
          <div className="cmp-hint">
            {outputs.length} sample{outputs.length === 1 ? '' : 's'} · {groups.length} distinct
          </div>
          {agreement ? (
            <div className="cmp-majority">
              majority <b data-testid="agreement-majority">{agreement.majority ?? 'none'}</b> · agreement{' '}
              <b data-testid="agreement-rate">{Math.round(agreement.agreement * 100)}%</b>
              <ol className="cmp-answers" data-testid="agreement-answers">
                {agreement.answers.map((a, i) => (
                  <li key={i} className={a === null ? 'answer-missing' : a.trim().toLowerCase() === agreement.majority?.toLowerCase() ? 'answer' : ''}>
                    {a ?? 'none'}
                  </li>
                ))}
              </ol>
            </div>
          ) : (
            <div className="cmp-hint">No answer rule (the template reads the full output).</div>
          )}
          <ul className="cmp-groups">
            {groups.map((g, i) => (
              <li key={i} data-testid="identical-group">
                <span className="cmp-count">×{g.count}</span> <span className="cmp-group-text">{g.text || '∅'}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

function PromptsView() {
  const current = useAppStore((s) => s.compare.current);
  const variants = current?.spec.variants ?? [];
  const [a, setA] = useState<string | null>(null);
  const [b, setB] = useState<string | null>(null);
  const va = variants.find((v) => v.id === a) ?? variants[0];
  const vb = variants.find((v) => v.id === b) ?? variants[1];
  const segments = useMemo(() => (current && va && vb ? wordDiff(current.prompts[va.id] ?? '', current.prompts[vb.id] ?? '') : []), [current, va, vb]);
  if (!current || !va || !vb) return null;
  const same = segments.every((s) => s.op === 'equal');
  return (
    <div className="cmp-diff" data-testid="prompt-diff-view">
      <div className="cmp-diff-bar">
        <select data-testid="prompt-a" value={va.id} onChange={(e) => setA(e.target.value)} aria-label="Prompt A">
          {variants.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
        <span>vs</span>
        <select data-testid="prompt-b" value={vb.id} onChange={(e) => setB(e.target.value)} aria-label="Prompt B">
          {variants.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
        <span className="cmp-hint">{same ? 'the prompts are identical (the variants differ in model or settings)' : 'word diff of the two prompts'}</span>
      </div>
      <pre className="cmp-diff-text" data-testid="prompt-diff">
        <DiffSegments segments={segments} mode="word" />
      </pre>
    </div>
  );
}

function VerdictView() {
  const current = useAppStore((s) => s.compare.current);
  const verdict = useAppStore((s) => s.compare.verdict);
  const saveState = useAppStore((s) => s.compare.saveState);
  const saveError = useAppStore((s) => s.compare.saveError);
  const meta = useRunMeta();
  const { setOverallWinner, setVerdictNotes, setRepeatWinner, saveComparison, exportComparison } = useActions();
  const variants = current?.spec.variants ?? [];
  const tally = useMemo(() => tallyVerdict(verdict, meta, variants.map((v) => v.id)), [verdict, meta, variants]);
  if (!current) return null;
  const repeats = Math.max(1, ...meta.map((m) => m.repeat + 1));
  const download = (format: 'markdown' | 'json' | 'csv') => {
    const out = exportComparison(format);
    if (out) downloadText(out.fileName, out.text, out.type);
  };
  return (
    <div className="cmp-verdict" data-testid="verdict-view">
      <table className="cmp-tally" data-testid="verdict-tally">
        <thead>
          <tr>
            <th>variant</th>
            <th title="Repeats won">wins</th>
            <th>▲</th>
            <th>▼</th>
            <th>★ avg</th>
          </tr>
        </thead>
        <tbody>
          {variants.map((v) => {
            const t = tally.byVariant[v.id]!;
            return (
              <tr key={v.id} className={tally.leader === v.id ? 'leader' : undefined} data-testid="tally-row" data-variant={v.id}>
                <td>
                  <span className="cmp-letter">{v.id}</span> {v.label}
                </td>
                <td data-testid="tally-wins">{t.wins}</td>
                <td>{t.up}</td>
                <td>{t.down}</td>
                <td>{t.starCount ? (t.starSum / t.starCount).toFixed(1) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="cmp-verdict-side">
        {repeats > 1 ? (
          <div className="cmp-row-wrap">
            {Array.from({ length: repeats }, (_, r) => (
              <label key={r} className="cmp-field">
                <span>#{r + 1}</span>
                <select data-testid="repeat-winner" value={verdict.winners[String(r)] ?? ''} onChange={(e) => setRepeatWinner(r, e.target.value || null)}>
                  <option value="">—</option>
                  {variants.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.label}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
        ) : null}
        <label className="cmp-field">
          <span>Overall winner</span>
          <select data-testid="overall-winner" value={verdict.winner ?? ''} onChange={(e) => setOverallWinner(e.target.value || null)}>
            <option value="">—</option>
            {variants.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
          {tally.leader && !verdict.winner ? (
            <button type="button" className="link-button" data-testid="use-leader" onClick={() => setOverallWinner(tally.leader)}>
              use the most repeat wins
            </button>
          ) : null}
        </label>
        <textarea className="cmp-notes" data-testid="verdict-notes" placeholder="Notes: why this one wins…" rows={3} value={verdict.notes} onChange={(e) => setVerdictNotes(e.target.value)} />
        <div className="cmp-row-wrap">
          <button type="button" className="btn btn-primary btn-small" data-testid="compare-save" disabled={saveState === 'saving'} onClick={() => void saveComparison()}>
            Save
          </button>
          <span className={`save-state save-state-${saveState === 'saved' ? 'clean' : 'dirty'}`} data-testid="compare-save-state">
            {saveState === 'saving' ? 'saving…' : saveState === 'saved' ? 'saved' : 'not saved'}
          </span>
          <span className="toolbar-spacer" />
          <span className="cmp-hint">Export</span>
          <button type="button" className="btn btn-small" data-testid="export-markdown" onClick={() => download('markdown')}>
            Markdown
          </button>
          <button type="button" className="btn btn-small" data-testid="export-json" onClick={() => download('json')}>
            JSON
          </button>
          <button type="button" className="btn btn-small" data-testid="export-csv" onClick={() => download('csv')}>
            CSV
          </button>
        </div>
        {saveError ? (
          <div className="metric-error" role="alert" data-testid="compare-save-error">
            Not saved: {saveError}
          </div>
        ) : null}
      </div>
    </div>
  );
}
