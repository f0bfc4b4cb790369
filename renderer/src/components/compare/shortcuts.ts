// The Compare view's keys, the same as the workbench's: Ctrl/Cmd+Enter runs all variants (again),
// Ctrl/Cmd+S saves the comparison with its verdict, Esc stops the runs. Called first by the global
// shortcut listener; in the workbench it handles nothing.
import type { AppState } from '../../store/types';

const ACTIVE = new Set(['starting', 'queued', 'running']);

/** Whether the key was the Compare view's (the caller then stops it from going further). */
export function handleCompareKey(e: KeyboardEvent, state: AppState): boolean {
  const c = state.compare;
  if (c.view !== 'compare' || e.isComposing) return false;
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
  const active = c.runOrder.some((id) => ACTIVE.has(c.runs[id]?.status ?? ''));
  const { actions } = state;
  if (mod && e.key === 'Enter') {
    if (!active && !c.starting) void actions.runComparison();
    return true;
  }
  if (mod && (e.key === 's' || e.key === 'S')) {
    if (c.current) void actions.saveComparison();
    else actions.notify('Nothing to save yet: a comparison is saved with its results. Run it first (Ctrl/Cmd+Enter).');
    return true;
  }
  if (e.key === 'Escape' && active && state.ui.dialog === null) {
    actions.stopComparison();
    return true;
  }
  return false;
}
