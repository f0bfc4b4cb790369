// Ctrl/Cmd+Enter runs, Esc stops, Ctrl/Cmd+S saves the template (in the Compare view: runs, stops
// and saves the comparison), Ctrl/Cmd+B shows or hides the sidebar: from anywhere, including inside Monaco. The listener runs in the capture phase on
// window, so it sees the key before the editor does (Monaco would otherwise insert a line for
// Ctrl+Enter), and the browser's own Save page never opens.
import { useEffect } from 'react';
import { useStoreApi } from '../store';
import { handleCompareKey } from './compare/shortcuts';

export function useGlobalShortcuts(): void {
  const store = useStoreApi();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      if (handleCompareKey(e, store.getState())) {
        e.preventDefault();
        e.stopPropagation();
        return;
      }
      const { run, actions, ui } = store.getState();
      const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
      if (e.key === 'Enter' && mod && !e.shiftKey) {
        e.preventDefault();
        e.stopPropagation();
        void actions.run();
      } else if (mod && !e.shiftKey && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        e.stopPropagation();
        if (store.getState().editor.tab === 'template') void actions.saveTemplate();
        else actions.notify('The raw prompt is not kept in the library (the history keeps every run). Templates are: switch to Template to save one.');
      } else if (mod && !e.shiftKey && (e.key === 'b' || e.key === 'B')) {
        e.preventDefault();
        e.stopPropagation();
        actions.toggleSidebar();
      } else if (mod && (e.key === 'z' || e.key === 'Z' || e.key === 'y' || e.key === 'Y') && !isTextTarget(e.target) && store.getState().editor.tab === 'template' && ui.dialog === null) {
        // Outside a text field (which keeps its own undo): undo/redo the template's edits.
        e.preventDefault();
        e.stopPropagation();
        if ((e.key === 'z' || e.key === 'Z') && !e.shiftKey) actions.undoTemplate();
        else actions.redoTemplate();
      } else if (e.key === 'Escape' && run.status === 'running' && ui.dialog === null) {
        // Only while running, so Esc still closes Monaco's find widget and dialogs otherwise.
        e.preventDefault();
        e.stopPropagation();
        actions.stop();
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [store]);
}

/** An element with its own undo: inputs, text areas, Monaco, anything editable. */
function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'range', 'button', 'submit'].includes(target.type);
  return target.closest('.monaco-editor') !== null;
}
