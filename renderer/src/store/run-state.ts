// The single run's state at rest, and the reset that clears a finished run: shared by the run
// slice and by the slices that load templates and models (apart from both, so neither imports
// the other).
import { patch, type SliceContext } from './context';
import { NO_STEPS } from './token-steps';
import type { RunSlice } from './types';

export const initialRun: RunSlice = {
  runId: null,
  status: 'idle',
  modelId: null,
  prompt: '',
  text: '',
  steps: NO_STEPS,
  tokenCount: 0,
  liveTokensPerSecond: null,
  metrics: null,
  finishReason: null,
  error: null,
  stopRequested: false,
  extraction: null,
  historyId: null,
  historyError: null,
  origin: null,
  input: null,
  record: null,
};

/**
 * The output and error of a finished run belong to what it was made from: loading another
 * template, or selecting another model, clears them (a running run stays until it ends).
 */
export function clearFinishedRun(ctx: SliceContext): void {
  if (ctx.get().run.status !== 'running') patch(ctx, 'run', initialRun);
}

