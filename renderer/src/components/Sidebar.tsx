// The left column: the library, the run history, and every sampler.
import { useActions, useAppStore } from '../store';
import type { SidebarTab } from '../store/types';
import { HistoryPanel } from './history/HistoryPanel';
import { LibraryPanel } from './library/LibraryPanel';
import { SamplingPanel } from './sampling/SamplingPanel';

const TABS: { value: SidebarTab; label: string }[] = [
  { value: 'library', label: 'Library' },
  { value: 'history', label: 'History' },
  { value: 'sampling', label: 'Sampling' },
];

export function Sidebar() {
  const tab = useAppStore((s) => s.ui.sidebar);
  const open = useAppStore((s) => s.ui.sidebarOpen);
  const { setSidebar } = useActions();
  if (!open) return null;
  return (
    <aside className="pane sidebar" aria-label="Sidebar">
      <nav className="sidebar-tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.value}
            type="button"
            role="tab"
            aria-selected={tab === t.value}
            className={tab === t.value ? 'active' : undefined}
            data-testid={`sidebar-${t.value}`}
            onClick={() => setSidebar(t.value)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div className="sidebar-body">
        {tab === 'library' ? <LibraryPanel /> : tab === 'history' ? <HistoryPanel /> : <SamplingPanel />}
      </div>
    </aside>
  );
}
