// The first screen: model bar, sampling + run controls, prompt | output, status line.
import { ModelError, ModelPicker } from './components/ModelPicker';
import { OpenModel } from './components/OpenModel';
import { OutputPanel } from './components/OutputPanel';
import PromptEditor from './components/PromptEditor';
import { RunControls } from './components/RunControls';
import { SamplingControls } from './components/SamplingControls';
import { ConnectionBanner, StatusBar } from './components/StatusBar';
import { useGlobalShortcuts } from './components/useGlobalShortcuts';
import { useAppStore } from './store';

export function App() {
  useGlobalShortcuts();
  return (
    <div className="app">
      <header className="toolbar">
        <span className="brand" aria-label="Shotglass">
          <span className="brand-mark" aria-hidden />
          Shotglass
        </span>
        <ModelPicker />
        <span className="toolbar-spacer" />
        <OpenModel />
      </header>
      <ModelError />
      <ConnectionBanner />
      <div className="controls-bar">
        <SamplingControls />
        <span className="toolbar-spacer" />
        <RunControls />
      </div>
      <main className="workspace">
        <section className="pane prompt-pane" aria-label="Prompt">
          <header className="pane-header">
            <h2 className="pane-title">Prompt</h2>
            <PromptStats />
          </header>
          <div className="editor-host" data-testid="prompt-editor">
            <PromptEditor />
          </div>
        </section>
        <OutputPanel />
      </main>
      <StatusBar />
    </div>
  );
}

function PromptStats() {
  const chars = useAppStore((s) => s.editor.prompt.length);
  return <span className="pane-meta">{chars.toLocaleString()} chars</span>;
}
