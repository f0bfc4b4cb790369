// Ctrl/Cmd+Enter runs and Esc stops, from anywhere, including inside Monaco: the listener runs
// in the capture phase on window, so it sees the key before the editor does (Monaco would
// otherwise insert a line for Ctrl+Enter).
import { useEffect } from 'react';
import { useStoreApi } from '../store';

export function useGlobalShortcuts(): void {
  const store = useStoreApi();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      const { run, actions } = store.getState();
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        e.stopPropagation();
        void actions.run();
      } else if (e.key === 'Escape' && run.status === 'running') {
        // Only while running, so Esc still closes Monaco's find widget otherwise.
        e.preventDefault();
        e.stopPropagation();
        actions.stop();
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [store]);
}
