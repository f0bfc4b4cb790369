// Regressions: an evaluation against an earlier run of the same dataset. Which cases flipped from
// pass to fail (and back), per variant. Cases are matched by their variables and description, not
// by row number, so inserting or reordering rows in the dataset does not show up as flips.
import { canonicalJson } from './cache-key.js';
import type { TestCase } from './dataset/schema.js';
import { cellPassed, type EvalResults } from './results.js';

export interface Flip {
  /** the case's index in the current results */
  caseIndex: number;
  description?: string;
  vars: Record<string, string>;
}

export interface VariantRegressions {
  variantId: string;
  label: string;
  /** passed before, fails now */
  broke: Flip[];
  /** failed before, passes now */
  fixed: Flip[];
  /** cases only in the current run */
  added: number;
}

const caseKey = (c: TestCase) => canonicalJson({ vars: c.vars, description: c.description ?? null });

/** Pass (every repeat passed) per case key, for one variant of a result set. */
function outcomes(results: EvalResults, variantId: string): Map<string, boolean> {
  const byCase = new Map<number, boolean>();
  for (const cell of results.cells) if (cell.variantId === variantId) byCase.set(cell.caseIndex, (byCase.get(cell.caseIndex) ?? true) && cellPassed(cell));
  const out = new Map<string, boolean>();
  for (const [i, pass] of byCase) {
    const c = results.cases[i];
    if (c) out.set(caseKey(c), pass);
  }
  return out;
}

/**
 * Variants are matched by id (a template version change keeps the variant's id; the caller ties
 * flips to the versions that changed). A variant with no earlier counterpart is left out.
 */
export function regressions(previous: EvalResults, current: EvalResults): VariantRegressions[] {
  const out: VariantRegressions[] = [];
  for (const v of current.variants) {
    if (!previous.variants.some((p) => p.id === v.id)) continue;
    const before = outcomes(previous, v.id);
    const now = outcomes(current, v.id);
    const broke: Flip[] = [];
    const fixed: Flip[] = [];
    let added = 0;
    current.cases.forEach((c, caseIndex) => {
      const key = caseKey(c);
      const was = before.get(key);
      const is = now.get(key);
      if (is === undefined) return;
      if (was === undefined) added++;
      else if (was && !is) broke.push({ caseIndex, vars: c.vars, ...(c.description !== undefined ? { description: c.description } : {}) });
      else if (!was && is) fixed.push({ caseIndex, vars: c.vars, ...(c.description !== undefined ? { description: c.description } : {}) });
    });
    out.push({ variantId: v.id, label: v.label, broke, fixed, added });
  }
  return out;
}
