// Every saved version of a template: pick two to compare (a line diff), restore an older one.
import { formatAgo } from '../../lib/format';
import { useActions, useAppStore } from '../../store';
import { Dialog } from '../Dialog';
import { InlineAlert } from '../InlineAlert';

const ORIGIN_WORDS: Record<string, string> = {
  created: 'created',
  saved: 'saved',
  renamed: 'renamed',
  restored: 'restored',
  duplicated: 'duplicated',
  imported: 'imported',
  outside: 'edited outside',
};

export function VersionsDialog() {
  const view = useAppStore((s) => s.library.versions);
  const { openDialog, compareVersions, restoreVersion } = useActions();
  if (!view) return null;
  const latest = view.items[0]?.version;
  return (
    <Dialog title={<>Versions of “{view.name}”</>} testId="versions-dialog" onClose={() => openDialog(null)} wide>
      {view.error ? <InlineAlert testId="versions-error">{view.error}</InlineAlert> : null}
      <div className="versions">
        <table className="versions-table" aria-label="Versions">
          <thead>
            <tr>
              <th title="Compare from">A</th>
              <th title="Compare to">B</th>
              <th>version</th>
              <th>what</th>
              <th>when</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {view.items.map((v) => (
              <tr key={v.version} data-testid="version-row" data-version={v.version} className={v.version === view.to || v.version === view.from ? 'selected' : undefined}>
                <td>
                  <input type="radio" name="from" aria-label={`Compare from version ${v.version}`} checked={view.from === v.version} onChange={() => void compareVersions(v.version, view.to ?? v.version)} />
                </td>
                <td>
                  <input type="radio" name="to" aria-label={`Compare to version ${v.version}`} checked={view.to === v.version} onChange={() => void compareVersions(view.from ?? v.version, v.version)} />
                </td>
                <td className="mono">v{v.version}</td>
                <td>
                  {ORIGIN_WORDS[v.origin] ?? v.origin}
                  {v.restoredFrom ? ` from v${v.restoredFrom}` : ''}
                  {v.name !== view.name ? <span className="version-name"> · “{v.name}”</span> : null}
                </td>
                <td title={new Date(v.savedAt).toLocaleString()}>{formatAgo(v.savedAt)}</td>
                <td>
                  {v.version !== latest ? (
                    <button type="button" className="btn btn-small" data-testid="version-restore" title={`Save version ${v.version} as the newest version (nothing is lost)`} onClick={() => void restoreVersion(v.version)}>
                      Restore
                    </button>
                  ) : (
                    <span className="badge">current</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="diff" data-testid="version-diff">
          {view.loading ? <div className="pane-placeholder">Loading…</div> : null}
          {!view.loading && view.items.length < 2 ? <div className="pane-placeholder">Only one version so far: every save adds one.</div> : null}
          {view.diff ? (
            <>
              <div className="diff-title">
                v{view.diff.from} → v{view.diff.to}
              </div>
              <pre className="diff-lines">
                {view.diff.lines.map((l, i) => (
                  <div key={i} className={`diff-${l.op}`}>
                    <span className="diff-mark">{l.op === 'add' ? '+' : l.op === 'remove' ? '−' : ' '}</span>
                    {l.text || ' '}
                  </div>
                ))}
              </pre>
            </>
          ) : view.from !== null && view.from === view.to ? (
            <div className="pane-placeholder">Pick two different versions.</div>
          ) : null}
        </div>
      </div>
    </Dialog>
  );
}
