// The workbench: model bar; run bar (preset, temperature, max tokens, Run/Stop); sidebar (library,
// history, samplers) | template editor | preview over output; status line.
import { lazy, Suspense } from 'react';
import { RunDialog } from './components/history/RunDialog';
import { StartersDialog } from './components/library/StartersDialog';
import { VersionsDialog } from './components/library/VersionsDialog';
import { LoadSettingsDialog } from './components/LoadSettingsDialog';
import { ModelError, ModelPicker } from './components/ModelPicker';
import { Notices } from './components/Notices';
import { Segmented } from './components/Segmented';
import { OpenModel } from './components/OpenModel';
import { OutputPanel } from './components/OutputPanel';
import { PreviewPanel } from './components/preview/PreviewPanel';
import { RunControls } from './components/RunControls';
import { SamplingControls } from './components/SamplingControls';
import { Sidebar } from './components/Sidebar';
import { ConnectionBanner, StatusBar } from './components/StatusBar';
import { useGlobalShortcuts } from './components/useGlobalShortcuts';
import { WorkspacePane } from './components/workbench/WorkspacePane';
import { isMac } from './lib/format';
import { useActions, useAppStore } from './store';

// The Compare view is its own chunk, loaded when first opened (it is not on the first screen).
const CompareView = lazy(() => import('./components/compare/CompareView').then((m) => ({ default: m.CompareView })));

export function App() {
  useGlobalShortcuts();
  const sidebarOpen = useAppStore((s) => s.ui.sidebarOpen);
  const view = useAppStore((s) => s.compare.view);
  return (
    <div className="app">
      <header className="toolbar">
        <span className="brand" aria-label="Shotglass">
          <span className="brand-mark" aria-hidden />
          Shotglass
        </span>
        <ViewSwitch />
        <ModelPicker />
        <span className="toolbar-spacer" />
        <OpenModel />
      </header>
      <ModelError />
      <ConnectionBanner />
      {view === 'compare' ? (
        <Suspense fallback={<main className="compare-view pane-placeholder">Loading the Compare view…</main>}>
          <CompareView />
        </Suspense>
      ) : (
        <>
          <div className="controls-bar">
            <SidebarToggle />
            <SamplingControls />
            <span className="toolbar-spacer" />
            <RunControls />
          </div>
          <main className={`workspace${sidebarOpen ? '' : ' no-sidebar'}`}>
            <Sidebar />
            <WorkspacePane />
            <div className="right-column">
              <PreviewPanel />
              <OutputPanel />
            </div>
          </main>
        </>
      )}
      <StatusBar />
      <Dialogs />
      <Notices />
    </div>
  );
}

const VIEWS = [
  { value: 'workbench', label: 'Workbench', title: 'Edit and run one prompt' },
  { value: 'compare', label: 'Compare', title: 'Run 2 to 6 variants side by side' },
] as const;

function ViewSwitch() {
  const view = useAppStore((s) => s.compare.view);
  const { setView } = useActions();
  return <Segmented<'workbench' | 'compare'> label="View" value={view} options={VIEWS} onChange={setView} testIdPrefix="view" size="small" />;
}

function SidebarToggle() {
  const open = useAppStore((s) => s.ui.sidebarOpen);
  const { toggleSidebar } = useActions();
  return (
    <button
      type="button"
      className="btn-icon sidebar-toggle"
      data-testid="sidebar-toggle"
      aria-pressed={open}
      aria-label="Show or hide the sidebar"
      title={`Library, history and samplers (${isMac() ? '⌘' : 'Ctrl'}+B)`}
      onClick={toggleSidebar}
    >
      ☰
    </button>
  );
}

function Dialogs() {
  const dialog = useAppStore((s) => s.ui.dialog);
  if (dialog === 'starters') return <StartersDialog />;
  if (dialog === 'versions') return <VersionsDialog />;
  if (dialog === 'run') return <RunDialog />;
  if (dialog === 'load-settings') return <LoadSettingsDialog />;
  return null;
}
