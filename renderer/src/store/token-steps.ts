// Generated tokens with their probabilities, kept in fixed-size chunks: appending copies only the
// last chunk, and every finished chunk keeps its identity, so the output view re-renders one chunk
// per frame however long the output grows.
import type { TokenStep } from '../../../core/api/contract';

export const STEP_CHUNK = 64;

export interface StepChunk {
  /** index of the chunk's first step among all steps */
  first: number;
  /** where the chunk's text starts in the output (UTF-16 offset) */
  start: number;
  /** the length of its steps' text together */
  length: number;
  steps: readonly TokenStep[];
}

export type StepChunks = readonly StepChunk[];

export const NO_STEPS: StepChunks = Object.freeze([]);

export function appendSteps(chunks: StepChunks, steps: readonly TokenStep[]): StepChunks {
  if (steps.length === 0) return chunks;
  const out = chunks.slice();
  let i = 0;
  while (i < steps.length) {
    const last = out[out.length - 1];
    if (last && last.steps.length < STEP_CHUNK) {
      const take = steps.slice(i, i + STEP_CHUNK - last.steps.length);
      out[out.length - 1] = { ...last, steps: [...last.steps, ...take], length: last.length + textLength(take) };
      i += take.length;
    } else {
      const take = steps.slice(i, i + STEP_CHUNK);
      const first = last ? last.first + last.steps.length : 0;
      const start = last ? last.start + last.length : 0;
      out.push({ first, start, length: textLength(take), steps: take });
      i += take.length;
    }
  }
  return out;
}

export const chunksFromSteps = (steps: readonly TokenStep[]): StepChunks => appendSteps(NO_STEPS, steps);

export function stepCount(chunks: StepChunks): number {
  const last = chunks[chunks.length - 1];
  return last ? last.first + last.steps.length : 0;
}

export function stepAt(chunks: StepChunks, index: number): TokenStep | undefined {
  return chunks[Math.floor(index / STEP_CHUNK)]?.steps[index % STEP_CHUNK];
}

/** How much of the output the steps cover. */
export function stepsTextLength(chunks: StepChunks): number {
  const last = chunks[chunks.length - 1];
  return last ? last.start + last.length : 0;
}

/** Whether the output is the steps' text (or a prefix of it: a stop string cut it short). */
export function stepsMatchText(chunks: StepChunks, text: string): boolean {
  let at = 0;
  for (const chunk of chunks) {
    for (const step of chunk.steps) {
      if (at >= text.length) return true;
      const piece = step.text.slice(0, text.length - at);
      if (!text.startsWith(piece, at)) return false;
      at += step.text.length;
    }
  }
  return true;
}

function textLength(steps: readonly TokenStep[]): number {
  let n = 0;
  for (const step of steps) n += step.text.length;
  return n;
}
