// Run / Stop, with their shortcuts shown (the shortcuts themselves: useGlobalShortcuts).
import { isMac } from '../lib/format';
import { selectCanRun, selectIsRunning, useActions, useAppStore } from '../store';

export function RunControls() {
  const canRun = useAppStore(selectCanRun);
  const running = useAppStore(selectIsRunning);
  const stopping = useAppStore((s) => s.run.stopRequested);
  const { run, stop } = useActions();
  const mod = isMac() ? '⌘' : 'Ctrl';
  return (
    <div className="run-controls">
      <button
        type="button"
        data-testid="run-button"
        className="btn btn-primary"
        disabled={!canRun}
        title={`Run the prompt (${mod}+Enter)`}
        onClick={() => void run()}
      >
        <span className="btn-glyph" aria-hidden>
          ▶
        </span>
        Run <kbd>{mod}↵</kbd>
      </button>
      <button
        type="button"
        data-testid="stop-button"
        className="btn btn-danger"
        disabled={!running || stopping}
        title="Stop generating (Esc)"
        onClick={stop}
      >
        <span className="btn-glyph" aria-hidden>
          ■
        </span>
        Stop <kbd>Esc</kbd>
      </button>
    </div>
  );
}
