// The compare builder's tie to the workbench: a variant draft of what the workbench holds now,
// and which template the variants were made from ("Compare with…"), so that they can follow its
// edits (compare-follow.ts) and say plainly when the workbench has moved to another template.
import { cloneSampling, cloneTemplate, type VariantDraft } from './compare-variants';
import { templateForSave } from './template-slice';
import type { WorkbenchLink } from './compare-types';
import type { AppState } from './types';

export type { WorkbenchLink };

/**
 * The workbench template the variants were made from ("Compare with…"): they follow its edits.
 * `detached` names what the workbench shows instead when it moved to another template (the
 * variants then keep the first one as it was last, and the builder says so).
 */

/** A draft of what the workbench holds now (template or raw prompt). */
export function draftFromWorkbench(state: AppState, id: string, label: string): VariantDraft {
  const modelId = state.models.selectedId ?? state.app.info?.demoModelId ?? state.models.order[0] ?? '';
  const sampling = cloneSampling(state.editor.sampling);
  if (state.editor.tab === 'raw') return { id, label, modelId, template: null, raw: state.editor.prompt, sampling };
  const saved = state.template.saved;
  return {
    id,
    label,
    modelId,
    template: cloneTemplate(templateForSave(state)),
    sampling,
    ...(saved ? { source: state.template.dirty ? { id: saved.id } : { id: saved.id, version: saved.version } } : {}),
  };
}

export const workbenchName = (state: AppState) => (state.editor.tab === 'raw' ? 'the raw prompt' : `“${state.template.draft.name || 'Untitled'}”`);

export function linkTo(state: AppState): WorkbenchLink {
  return {
    name: workbenchName(state),
    tab: state.editor.tab === 'raw' ? 'raw' : 'template',
    savedId: state.template.saved?.id ?? null,
    loadCount: state.template.loadCount,
    base: draftFromWorkbench(state, 'base', 'base'),
    detached: null,
  };
}

/** Whether the workbench still shows the template the variants were made from. */
export function stillLinked(link: WorkbenchLink, state: AppState): boolean {
  const tab = state.editor.tab === 'raw' ? 'raw' : 'template';
  if (tab !== link.tab) return false;
  if (tab === 'raw') return true;
  const id = state.template.saved?.id ?? null;
  if (link.savedId) return id === link.savedId;
  // Not saved when the variants were made: the same load of the editor (saving it keeps the load).
  return state.template.loadCount === link.loadCount;
}
