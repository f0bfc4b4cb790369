// Special and control tokens (<unk>, </s>, <|im_end|>…) have no text of their own: the output text
// leaves them out, so a run that generated only such tokens looks empty. Every place that shows or
// exports an output marks them from the token steps instead (the host names them in `special`).
// Pure: shared by the renderer's output views and the exports.
import type { TokenStep } from '../api/contract.js';

/** How a special token is written where there is no chip to draw (Markdown, CSV). */
export const markSpecial = (token: string): string => `⟦${token}⟧`;

export const SPECIAL_TOKENS_NOTE = 'Special tokens (no text of their own, e.g. <unk> or an end of turn) are written ⟦like this⟧.';

/** Whether any step is a special token. */
export function hasSpecialTokens(steps: readonly TokenStep[]): boolean {
  return steps.some((s) => s.special !== undefined);
}

/**
 * The output with each special token marked where it was generated. Steps spell the text (a stop
 * string may cut the text short of the last steps): a special token past the end of the text is
 * left out, one exactly at its end is kept.
 */
export function outputWithSpecialTokens(text: string, steps: readonly TokenStep[], mark: (token: string) => string = markSpecial): string {
  if (!hasSpecialTokens(steps)) return text;
  let out = '';
  let at = 0;
  for (const step of steps) {
    out += text.slice(at, at + step.text.length);
    at += step.text.length;
    // after the step's own text (a chunk's text goes to its last token, which may be the special one)
    if (step.special !== undefined && at <= text.length) out += mark(step.special);
  }
  return at < text.length ? out + text.slice(at) : out;
}
