// The library: search by name, tag and text; open, rename, duplicate, delete (with Undo), export,
// versions; import a file; files that fail validation are listed as broken, with the reason.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { TemplateEntry } from '../../../../core/api/contract';
import { downloadText } from '../../lib/download';
import { formatAgo } from '../../lib/format';
import { useActions, useAppStore } from '../../store';

export function LibraryPanel() {
  const entries = useAppStore((s) => s.library.entries);
  const loaded = useAppStore((s) => s.library.loaded);
  const error = useAppStore((s) => s.library.error);
  const problem = useAppStore((s) => s.library.problem);
  const openId = useAppStore((s) => s.template.saved?.id ?? null);
  const filtered = useAppStore((s) => s.library.query.trim() !== '' || s.library.tags.length > 0);

  return (
    <div className="library" data-testid="library">
      <LibraryToolbar />
      <TagFilter />
      {problem ? <p className="sidebar-alert" role="alert">{problem}</p> : null}
      {error ? <p className="sidebar-alert" role="alert">{error}</p> : null}
      <ul className="entry-list" aria-label="Templates">
        {entries.map((entry) => (
          <LibraryItem key={entry.id} entry={entry} open={entry.id === openId} />
        ))}
      </ul>
      {loaded && entries.length === 0 ? (
        <p className="sidebar-empty">{filtered ? 'No template matches.' : 'No saved templates yet. Start from a starter, then save (Ctrl+S).'}</p>
      ) : null}
    </div>
  );
}

function LibraryToolbar() {
  const query = useAppStore((s) => s.library.query);
  const { setLibraryFilter, openDialog, importTemplateText } = useActions();
  const [text, setText] = useState(query);
  const file = useRef<HTMLInputElement>(null);

  // Search as you type, after a short pause.
  useEffect(() => {
    if (text === query) return;
    const timer = setTimeout(() => setLibraryFilter({ query: text }), 200);
    return () => clearTimeout(timer);
  }, [text, query, setLibraryFilter]);

  return (
    <div className="sidebar-toolbar">
      <input
        type="search"
        className="grow"
        data-testid="library-search"
        placeholder="Search…"
        title="Search by name, tag and text"
        aria-label="Search templates"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="button" className="btn btn-small" title="A new template: blank, or from a starter" onClick={() => openDialog('starters')}>
        New…
      </button>
      <button type="button" className="btn btn-small" data-testid="library-import" title="Import a template file (.yaml, .json)" onClick={() => file.current?.click()}>
        Import
      </button>
      <input
        ref={file}
        type="file"
        accept=".yaml,.yml,.json,text/yaml,application/json"
        data-testid="import-input"
        hidden
        onChange={async (e) => {
          const picked = e.target.files?.[0];
          e.target.value = '';
          if (picked) await importTemplateText(await picked.text());
        }}
      />
    </div>
  );
}

function TagFilter() {
  const entries = useAppStore((s) => s.library.entries);
  const tags = useAppStore((s) => s.library.tags);
  const { setLibraryFilter } = useActions();
  const all = useMemo(() => {
    const set = new Set<string>(tags);
    for (const e of entries) if (e.status === 'ok') for (const t of e.tags) set.add(t);
    return [...set].sort();
  }, [entries, tags]);
  if (all.length === 0) return null;
  return (
    <div className="tag-filter" aria-label="Filter by tag">
      {all.map((tag) => {
        const on = tags.includes(tag);
        return (
          <button
            key={tag}
            type="button"
            className={`tag-chip${on ? ' on' : ''}`}
            aria-pressed={on}
            data-testid="library-tag"
            onClick={() => setLibraryFilter({ tags: on ? tags.filter((t) => t !== tag) : [...tags, tag] })}
          >
            {tag}
          </button>
        );
      })}
    </div>
  );
}

const LibraryItem = memo(function LibraryItem({ entry, open }: { entry: TemplateEntry; open: boolean }) {
  const { openTemplate, renameTemplate, duplicateTemplate, deleteTemplate, exportTemplate, openVersions } = useActions();
  const [renaming, setRenaming] = useState<string | null>(null);

  if (entry.status === 'broken') {
    return (
      <li className="entry entry-broken" data-testid="library-broken" title={entry.path}>
        <div className="entry-main">
          <span className="entry-name">⚠ {entry.file}</span>
          <button type="button" className="btn-icon btn-icon-small danger" aria-label={`Delete ${entry.file}`} title="Move the file to the trash" onClick={() => void deleteTemplate(entry.id)}>
            ×
          </button>
        </div>
        <div className="entry-reason">{entry.reason}</div>
      </li>
    );
  }

  const doExport = async () => {
    const out = await exportTemplate(entry.id);
    if (out) downloadText(out.fileName, out.text);
  };

  return (
    <li className={`entry${open ? ' open' : ''}`} data-testid="library-item" data-name={entry.name}>
      {renaming !== null ? (
        <form
          className="entry-rename"
          onSubmit={(e) => {
            e.preventDefault();
            void renameTemplate(entry.id, renaming);
            setRenaming(null);
          }}
        >
          <input
            type="text"
            data-testid="library-rename-input"
            aria-label="New name"
            autoFocus
            value={renaming}
            onChange={(e) => setRenaming(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setRenaming(null))}
            onBlur={() => setRenaming(null)}
          />
        </form>
      ) : (
        <button type="button" className="entry-main entry-open" data-testid="library-open" title={`Open (${entry.file})`} onClick={() => void openTemplate(entry.id)}>
          <span className="entry-name">{entry.name}</span>
          <span className="entry-version">v{entry.version}</span>
        </button>
      )}
      <div className="entry-meta">
        {entry.tags.slice(0, 4).map((t) => (
          <span key={t} className="mini-tag">
            {t}
          </span>
        ))}
        {entry.editedOutside ? <span className="mini-tag warn" title="Changed outside Shotglass">edited outside</span> : null}
        <span className="entry-when">{formatAgo(entry.savedAt)}</span>
      </div>
      <div className="entry-actions">
        <button type="button" data-testid="library-versions" title="Versions: list, compare, restore" onClick={() => void openVersions(entry.id)}>
          versions
        </button>
        <button type="button" data-testid="library-rename" title="Rename" onClick={() => setRenaming(entry.name)}>
          rename
        </button>
        <button type="button" data-testid="library-duplicate" title="Duplicate" onClick={() => void duplicateTemplate(entry.id)}>
          duplicate
        </button>
        <button type="button" data-testid="library-export" title="Download the template file" onClick={() => void doExport()}>
          export
        </button>
        <button type="button" className="danger" data-testid="library-delete" title="Delete (Undo in the notice)" onClick={() => void deleteTemplate(entry.id)}>
          delete
        </button>
      </div>
    </li>
  );
});
