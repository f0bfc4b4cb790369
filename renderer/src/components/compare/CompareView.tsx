// The Compare view: build the variants, run them at once, read the columns side by side, then the
// diff, agreement, prompts and verdict below. Saved comparisons reopen exactly as they were.
import { useState } from 'react';
import { formatAgo } from '../../lib/format';
import { useActions, useAppStore } from '../../store';
import { Dialog } from '../Dialog';
import { InlineAlert } from '../InlineAlert';
import { CompareAnalysis } from './CompareAnalysis';
import { CompareBuilder } from './CompareBuilder';
import { CompareColumns } from './CompareColumns';
import { MAX_COMPARISON_VARIANTS } from '../../../../core/compare/limits';

export function CompareView() {
  const hasComparison = useAppStore((s) => s.compare.current !== null);
  const error = useAppStore((s) => s.compare.error);
  const [tint, setTint] = useState(true);
  const [prompts, setPrompts] = useState(false);
  const [savedOpen, setSavedOpen] = useState(false);
  return (
    <main className="compare-view" data-testid="compare-view">
      <CompareBar tint={tint} setTint={setTint} prompts={prompts} setPrompts={setPrompts} openSaved={() => setSavedOpen(true)} />
      {error ? <InlineAlert testId="compare-error">{error}</InlineAlert> : null}
      {hasComparison ? (
        <div className="cmp-results">
          <CompareColumns tint={tint} showPrompts={prompts} />
          <CompareAnalysis />
        </div>
      ) : (
        <CompareBuilder />
      )}
      {savedOpen ? <SavedDialog onClose={() => setSavedOpen(false)} /> : null}
    </main>
  );
}

function CompareBar(props: { tint: boolean; setTint(v: boolean): void; prompts: boolean; setPrompts(v: boolean): void; openSaved(): void }) {
  const current = useAppStore((s) => s.compare.current);
  const name = useAppStore((s) => s.compare.name);
  const starting = useAppStore((s) => s.compare.starting);
  const forking = useAppStore((s) => s.compare.forking);
  const draftCount = useAppStore((s) => s.compare.drafts.length);
  const active = useAppStore((s) => s.compare.runOrder.filter((id) => ['starting', 'queued', 'running'].includes(s.compare.runs[id]?.status ?? '')).length);
  const total = useAppStore((s) => s.compare.runOrder.length);
  const queued = useAppStore((s) => s.compare.runOrder.filter((id) => s.compare.runs[id]?.status === 'queued').length);
  const { runComparison, stopComparison, editComparison, compareWithCurrent, setCompareName } = useActions();
  return (
    <div className="controls-bar cmp-bar">
      {current ? (
        <>
          <input type="text" className="cmp-name" data-testid="compare-title" aria-label="Comparison name" value={name} maxLength={200} onChange={(e) => setCompareName(e.target.value)} />
          <span className="pane-meta" data-testid="compare-progress">
            {current.spec.variants.length} variants × {current.spec.repeats} · seed {current.seed} · {active ? `${active} of ${total} running${queued ? ` (${queued} queued)` : ''}` : `${total} runs finished`}
            {forking ? ' · forking…' : ''}
          </span>
        </>
      ) : (
        <span className="pane-meta">Variants share the workbench's variable values. {draftCount} of {MAX_COMPARISON_VARIANTS}.</span>
      )}
      <span className="toolbar-spacer" />
      {current ? (
        <>
          <label className="toggle" title="Tint each token by how likely it was (hover for alternatives; click a token to fork)">
            <input type="checkbox" data-testid="compare-tint" checked={props.tint} onChange={(e) => props.setTint(e.target.checked)} />
            probabilities
          </label>
          <label className="toggle" title="Show every variant's prompt above its output">
            <input type="checkbox" data-testid="compare-prompts" checked={props.prompts} onChange={(e) => props.setPrompts(e.target.checked)} />
            prompts
          </label>
          <button type="button" className="btn btn-small" data-testid="compare-edit" disabled={active > 0} onClick={editComparison} title="Back to the variants (keeps them) for another run">
            Edit variants
          </button>
        </>
      ) : null}
      <button type="button" className="btn btn-small" data-testid="compare-new" disabled={active > 0} onClick={compareWithCurrent} title="Start again from the workbench's template (A) and a copy (B)">
        New from template
      </button>
      <button type="button" className="btn btn-small" data-testid="compare-saved" onClick={props.openSaved}>
        Saved…
      </button>
      {active > 0 ? (
        <button type="button" className="btn btn-danger" data-testid="compare-stop" onClick={stopComparison}>
          Stop all
        </button>
      ) : (
        <button type="button" className="btn btn-primary" data-testid="compare-run" disabled={starting || (!current && draftCount < 2)} onClick={() => void runComparison()}>
          {starting ? 'Starting…' : current ? 'Run again' : 'Run all'}
        </button>
      )}
    </div>
  );
}

function SavedDialog({ onClose }: { onClose(): void }) {
  const list = useAppStore((s) => s.compare.list);
  const loading = useAppStore((s) => s.compare.listLoading);
  const error = useAppStore((s) => s.compare.listError);
  const { openComparison, loadComparisons } = useActions();
  return (
    <Dialog title="Saved comparisons" testId="saved-comparisons" onClose={onClose} wide>
      {error ? <InlineAlert testId="saved-error">{error}</InlineAlert> : null}
      {loading && list.length === 0 ? <div className="pane-placeholder">Loading…</div> : null}
      {!loading && list.length === 0 ? <div className="pane-placeholder">No saved comparisons yet: run one and press Save under Verdict.</div> : null}
      <ul className="cmp-saved-list">
        {list.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="cmp-saved-item"
              data-testid="saved-comparison"
              data-id={c.id}
              onClick={() => {
                onClose();
                void openComparison(c.id);
              }}
            >
              <span className="cmp-saved-name">{c.name}</span>
              <span className="cmp-hint">
                {c.variants.map((v) => v.label).join(' · ')} · ×{c.repeats}
                {c.winner ? ` · winner ${c.variants.find((v) => v.id === c.winner)?.label ?? c.winner}` : ''} · {formatAgo(c.createdAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small" onClick={() => void loadComparisons()}>
        Refresh
      </button>
    </Dialog>
  );
}
