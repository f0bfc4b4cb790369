// Sorting and filtering the model library (by architecture, quantization, size, fit), shared by
// the UI and the CLI. Pure: entries are plain data.
import type { FitKind } from './fit.js';
import { quantOrder } from './quant.js';

export interface ViewEntry {
  fileName: string;
  architecture: string | null;
  quantization: string | null;
  sizeBytes: number;
  parameters: number | null;
  favourite: boolean;
  status: 'ok' | 'broken';
  fit?: { kind: FitKind } | null;
}

export interface LibraryFilter {
  text?: string;
  architecture?: string;
  quantization?: string;
  maxSizeBytes?: number;
  /** Keep only models that fit at all (gpu, partial or ram), or only this kind. */
  fits?: boolean | FitKind;
  includeBroken?: boolean;
}

export type LibrarySort = 'name' | 'size' | 'parameters' | 'quantization' | 'fit';

const FIT_RANK: Record<FitKind, number> = { gpu: 0, partial: 1, ram: 2, none: 3 };

export function filterLibrary<T extends ViewEntry>(entries: readonly T[], filter: LibraryFilter): T[] {
  const text = filter.text?.trim().toLowerCase();
  return entries.filter((e) => {
    if (text && !`${e.fileName} ${e.architecture ?? ''}`.toLowerCase().includes(text)) return false;
    if (e.status === 'broken') return filter.includeBroken !== false && !filter.architecture && !filter.quantization && filter.fits === undefined;
    if (filter.architecture && e.architecture !== filter.architecture) return false;
    if (filter.quantization && e.quantization?.toUpperCase() !== filter.quantization.toUpperCase()) return false;
    if (filter.maxSizeBytes !== undefined && e.sizeBytes > filter.maxSizeBytes) return false;
    if (filter.fits !== undefined) {
      const kind = e.fit?.kind;
      if (!kind) return false;
      if (filter.fits === true && kind === 'none') return false;
      if (filter.fits === false && kind !== 'none') return false;
      if (typeof filter.fits === 'string' && kind !== filter.fits) return false;
    }
    return true;
  });
}

/** Favourites first, then the chosen order; broken files last; ties by name. */
export function sortLibrary<T extends ViewEntry>(entries: readonly T[], by: LibrarySort, descending = false): T[] {
  const key = (e: T): number | string => {
    switch (by) {
      case 'size':
        return e.sizeBytes;
      case 'parameters':
        return e.parameters ?? -1;
      case 'quantization':
        return quantOrder(e.quantization);
      case 'fit':
        return e.fit ? FIT_RANK[e.fit.kind] : 9;
      default:
        return e.fileName.toLowerCase();
    }
  };
  return [...entries].sort((a, b) => {
    if (a.favourite !== b.favourite) return a.favourite ? -1 : 1;
    if (a.status !== b.status) return a.status === 'broken' ? 1 : -1;
    const ka = key(a);
    const kb = key(b);
    const order = ka < kb ? -1 : ka > kb ? 1 : 0;
    return (descending ? -order : order) || a.fileName.localeCompare(b.fileName);
  });
}

/** The distinct architectures and quantizations present, for the filter menus. */
export function facets(entries: readonly ViewEntry[]): { architectures: string[]; quantizations: string[] } {
  const ok = entries.filter((e) => e.status === 'ok');
  return {
    architectures: [...new Set(ok.map((e) => e.architecture).filter((a): a is string => Boolean(a)))].sort(),
    quantizations: [...new Set(ok.map((e) => e.quantization).filter((q): q is string => Boolean(q)))].sort((a, b) => quantOrder(a) - quantOrder(b) || a.localeCompare(b)),
  };
}
