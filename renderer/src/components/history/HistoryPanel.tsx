// Run history: filter by template, model and text; open a run; load older runs.
import { memo, useEffect, useMemo, useState } from 'react';
import type { FinishReason, RunSummary } from '../../../../core/api/contract';
import { fileNameOf, finishReasonWords, formatAgo } from '../../lib/format';
import { useActions, useAppStore } from '../../store';

export function HistoryPanel() {
  const items = useAppStore((s) => s.history.items);
  const loaded = useAppStore((s) => s.history.loaded);
  const loading = useAppStore((s) => s.history.loading);
  const error = useAppStore((s) => s.history.error);
  const more = useAppStore((s) => s.history.nextCursor !== null);
  const { loadMoreHistory } = useActions();
  return (
    <div className="history" data-testid="history">
      <HistoryFilters />
      {error ? <p className="sidebar-alert" role="alert">{error}</p> : null}
      <ul className="entry-list" aria-label="Runs">
        {items.map((run) => (
          <HistoryItem key={run.id} run={run} />
        ))}
      </ul>
      {loaded && items.length === 0 ? <p className="sidebar-empty">No runs {loading ? 'yet…' : 'match.'}</p> : null}
      {more ? (
        <button type="button" className="btn btn-small load-more" disabled={loading} onClick={() => void loadMoreHistory()}>
          {loading ? 'Loading…' : 'Older runs'}
        </button>
      ) : null}
    </div>
  );
}

function HistoryFilters() {
  const filter = useAppStore((s) => s.history.filter);
  const entries = useAppStore((s) => s.library.entries);
  const openId = useAppStore((s) => s.template.saved?.id ?? null);
  const openName = useAppStore((s) => s.template.draft.name);
  const modelPaths = useAppStore((s) => s.models.order.map((id) => s.models.byId[id]?.path ?? '').join('\n'));
  const { setHistoryFilter, loadHistory } = useActions();
  const [text, setText] = useState(filter.text);

  useEffect(() => {
    if (text === filter.text) return;
    const timer = setTimeout(() => setHistoryFilter({ text }), 200);
    return () => clearTimeout(timer);
  }, [text, filter.text, setHistoryFilter]);

  const templates = useMemo(() => {
    const list = entries.flatMap((e) => (e.status === 'ok' ? [{ id: e.id, name: e.name }] : []));
    if (openId && !list.some((t) => t.id === openId)) list.unshift({ id: openId, name: openName });
    if (filter.templateId && !list.some((t) => t.id === filter.templateId)) list.unshift({ id: filter.templateId, name: filter.templateId });
    return list;
  }, [entries, openId, openName, filter.templateId]);
  const models = [...new Set(modelPaths.split('\n').filter(Boolean))];

  return (
    <div className="sidebar-toolbar sidebar-toolbar-wrap">
      <input type="search" className="grow" data-testid="history-search" placeholder="Search prompts and outputs…" aria-label="Search runs" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="button" className="btn-icon btn-icon-small" title="Refresh" aria-label="Refresh the history" onClick={() => void loadHistory()}>
        ⟳
      </button>
      <select data-testid="history-template" aria-label="Template" value={filter.templateId ?? ''} onChange={(e) => setHistoryFilter({ templateId: e.target.value || null })}>
        <option value="">all templates</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </select>
      <select data-testid="history-model" aria-label="Model" value={filter.modelPath ?? ''} onChange={(e) => setHistoryFilter({ modelPath: e.target.value || null })}>
        <option value="">all models</option>
        {models.map((p) => (
          <option key={p} value={p} title={p}>
            {fileNameOf(p)}
          </option>
        ))}
      </select>
    </div>
  );
}

const HistoryItem = memo(function HistoryItem({ run }: { run: RunSummary }) {
  const { openRun } = useActions();
  const generated = typeof run.metrics.generatedTokens === 'number' ? run.metrics.generatedTokens : null;
  return (
    <li className="entry" data-testid="history-item" data-id={run.id}>
      <button type="button" className="entry-main entry-open" title="Open this run" onClick={() => void openRun(run.id)}>
        <span className="entry-output">{run.outputPreview.trim() || '(no output)'}</span>
      </button>
      <div className="entry-prompt">{run.promptPreview.replace(/\s+/g, ' ').slice(-120)}</div>
      <div className="entry-meta">
        <span className="mini-tag">{fileNameOf(run.modelPath)}</span>
        {run.templateVersion ? <span className="mini-tag">v{run.templateVersion}</span> : null}
        <span className="mini-tag">{run.mode}</span>
        <span>{finishReasonWords(run.finishReason as FinishReason)}</span>
        {generated !== null ? <span>{generated} tok</span> : null}
        <span className="entry-when">{formatAgo(run.createdAt)}</span>
      </div>
    </li>
  );
});
