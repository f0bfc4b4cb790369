// The current completion run: start/stop, streamed text and token probabilities, live and final
// metrics, and where the history keeps it.
//
// Ordering: a run's events can arrive before startCompletion resolves with its runId (browser mode
// sends events over a WebSocket and responses over HTTP). Events seen while the id is unknown are
// held back and replayed once the id is known; events of any other run are ignored.
import type { TokenStep } from '../../../core/api/contract';
import type { ExtractionRule } from '../../../core/prompt/index';
import { errorCode, errorMessage, patch, type SliceContext } from './context';
import { createDeltaBatcher, type FrameScheduler } from './frame-batcher';
import { buildRunRequest, type StartRequest } from './run-request';
import { appendSteps, chunksFromSteps, NO_STEPS, stepCount } from './token-steps';
import type { Actions, HistoryEvent, RunEvent, RunSlice } from './types';

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
};

export interface RunController {
  actions: Pick<Actions, 'run' | 'stop'>;
  /** Start a run from a ready request (history re-runs use this too). */
  start(request: StartRequest, prompt: string, extraction?: ExtractionRule | null): Promise<void>;
  onRunEvent(event: RunEvent): void;
  onHistoryEvent(event: HistoryEvent): void;
  dispose(): void;
}

export function createRunController(ctx: SliceContext, scheduler?: FrameScheduler): RunController {
  const { api, get, now } = ctx;
  /** Events that arrived while the current run's id was still unknown. */
  let early: RunEvent[] = [];
  /** A history event can beat startCompletion's answer too. */
  let earlyHistory: HistoryEvent[] = [];
  /** Bumped per run so a late startCompletion answer cannot touch a newer run. */
  let generation = 0;
  /** Arrival times for live tokens/s, counted from the first delta like the backend's metric. */
  let clock = { firstAt: 0, firstTokens: 0, lastAt: 0, seen: false };
  /** Steps of the deltas waiting for the next frame (the batcher holds their text). */
  let pendingSteps: TokenStep[] = [];

  const batcher = createDeltaBatcher((text, tokens) => {
    const steps = pendingSteps;
    pendingSteps = [];
    patch(ctx, 'run', (run) => {
      if (run.status !== 'running') return {};
      const tokenCount = run.tokenCount + tokens;
      const seconds = (clock.lastAt - clock.firstAt) / 1000;
      const after = tokenCount - clock.firstTokens;
      return {
        text: run.text + text,
        steps: appendSteps(run.steps, steps),
        tokenCount,
        liveTokensPerSecond: seconds > 0 && after > 0 ? after / seconds : run.liveTokensPerSecond,
      };
    });
  }, scheduler);

  const apply = (event: RunEvent) => {
    switch (event.type) {
      case 'run.delta': {
        const t = now();
        if (!clock.seen) clock = { firstAt: t, firstTokens: event.tokens, lastAt: t, seen: true };
        clock.lastAt = t;
        for (const step of event.steps) pendingSteps.push(step);
        batcher.push(event.text, event.tokens);
        return;
      }
      case 'run.end': {
        batcher.flush();
        const { result } = event;
        patch(ctx, 'run', (run): Partial<RunSlice> => ({
          status: result.finishReason === 'cancelled' ? 'cancelled' : 'done',
          // The final text is authoritative (e.g. a stop string trimmed after streaming).
          text: result.text || run.text,
          // The streamed steps are the result's; rebuilt only if some went missing.
          steps: stepCount(run.steps) === result.steps.length ? run.steps : chunksFromSteps(result.steps),
          tokenCount: result.metrics.generatedTokens,
          liveTokensPerSecond: null,
          metrics: result.metrics,
          finishReason: result.finishReason,
          error: null,
        }));
        return;
      }
      case 'run.error': {
        batcher.flush();
        const cancelled = event.error.code === 'cancelled';
        patch(ctx, 'run', {
          status: cancelled ? 'cancelled' : 'error',
          liveTokensPerSecond: null,
          error: cancelled ? null : event.error.message,
        });
        return;
      }
    }
  };

  const applyHistory = (event: HistoryEvent) => {
    patch(ctx, 'run', { historyId: event.historyId ?? null, historyError: event.error ?? null });
  };

  const cancel = (runId: string) => {
    api.cancelRun({ runId }).catch((error: unknown) => {
      // not-found: the run ended on its own; its end event is on the way.
      if (errorCode(error) === 'not-found') return;
      const run = get().run;
      if (run.runId === runId && run.status === 'running') patch(ctx, 'run', { error: errorMessage(error) });
    });
  };

  const start = async (request: StartRequest, prompt: string, extraction: ExtractionRule | null = null) => {
    if (get().run.status === 'running') return;
    const mine = ++generation;
    early = [];
    earlyHistory = [];
    pendingSteps = [];
    batcher.clear();
    clock = { firstAt: 0, firstTokens: 0, lastAt: 0, seen: false };
    patch(ctx, 'run', { ...initialRun, status: 'running', modelId: request.modelId, prompt, extraction });
    patch(ctx, 'models', { openError: null });

    let runId: string;
    try {
      ({ runId } = await api.startCompletion(request));
    } catch (error) {
      if (mine !== generation) return;
      early = [];
      const cancelled = errorCode(error) === 'cancelled';
      patch(ctx, 'run', { status: cancelled ? 'cancelled' : 'error', error: cancelled ? null : errorMessage(error) });
      return;
    }
    if (mine !== generation) return;
    const heldHistory = earlyHistory;
    earlyHistory = [];
    if (get().run.status !== 'running') return;
    patch(ctx, 'run', { runId });
    const held = early;
    early = [];
    for (const event of held) if (event.runId === runId && get().run.status === 'running') apply(event);
    for (const event of heldHistory) if (event.runId === runId) applyHistory(event);
    if (get().run.stopRequested && get().run.status === 'running') cancel(runId);
  };

  return {
    actions: {
      async run() {
        const state = get();
        if (state.run.status === 'running') return;
        const modelId = state.models.selectedId;
        if (!modelId) {
          patch(ctx, 'run', { ...initialRun, status: 'error', error: 'Select a model first.' });
          return;
        }
        const built = buildRunRequest(state, modelId);
        if (!built.ok) {
          patch(ctx, 'run', { ...initialRun, status: 'error', modelId, error: built.error });
          return;
        }
        await start(built.request, built.prompt, built.extraction);
      },
      stop() {
        const run = get().run;
        if (run.status !== 'running' || run.stopRequested) return;
        patch(ctx, 'run', { stopRequested: true });
        // Without an id yet, start() cancels as soon as startCompletion answers.
        if (run.runId) cancel(run.runId);
      },
    },
    start,
    onRunEvent(event) {
      const run = get().run;
      if (run.status !== 'running') return;
      if (run.runId === null) early.push(event);
      else if (event.runId === run.runId) apply(event);
    },
    onHistoryEvent(event) {
      const run = get().run;
      if (run.runId === event.runId) applyHistory(event);
      else if (run.runId === null && run.status === 'running') earlyHistory.push(event);
    },
    dispose() {
      batcher.clear();
      pendingSteps = [];
      early = [];
      earlyHistory = [];
    },
  };
}
