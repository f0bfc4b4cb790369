// A/B comparisons: 2-6 variants (prompt x model x settings) x N repeats, all started at once as
// ordinary runs (same events, same history rows, tagged with the comparison). Variants on one
// model run as parallel sequences of its context; more runs than sequences wait their turn.
import { randomInt, randomUUID } from 'node:crypto';
import {
  ApiError,
  type ApiErrorData,
  type ApiHandlers,
  type ApiParsedInput,
  type Comparison,
  type ComparisonRun,
  type ComparisonSpec,
  type CompletionResult,
  type Verdict,
  VerdictSchema,
} from '../../core/api/contract.js';
import type { Json } from '../history/index.js';
import type { Workspace } from '../workspace.js';
import { MAX_COMPARISON_VARIANTS } from '../../core/compare/limits.js';

type StartRun = (
  request: ApiParsedInput<'startCompletion'>,
  group: { groupId: string; variant: string },
) => { runId: string; done: Promise<{ result?: CompletionResult; historyId?: string; error?: ApiErrorData }> };

interface Live {
  spec: ComparisonSpec;
  seed: number;
  createdAt: number;
  runs: ComparisonRun[];
  verdict: Verdict;
  name: string;
}

type ComparisonHandlers = Pick<
  ApiHandlers,
  'startComparison' | 'addComparisonVariants' | 'cancelComparison' | 'saveComparison' | 'getComparison' | 'listComparisons'
>;

const MAX_VARIANTS = MAX_COMPARISON_VARIANTS;

export function createComparisons(deps: {
  workspace: Workspace;
  modelExists: (modelId: string) => void;
  start: StartRun;
  cancel: (runId: string) => Promise<boolean>;
}): { handlers: ComparisonHandlers } {
  const live = new Map<string, Live>();

  /** Runs as stored: ids only (outputs live in the runs table). */
  const storedRuns = (runs: ComparisonRun[]) =>
    runs.map(({ runId, historyId, variantId, repeat, seed, error }) => ({ runId, historyId, variantId, repeat, seed, error })) as Json;

  const persist = (id: string, c: Live) => {
    try {
      deps.workspace.history().putComparison({
        id,
        createdAt: c.createdAt,
        name: c.name,
        seed: c.seed,
        spec: c.spec as unknown as Json,
        runs: storedRuns(c.runs),
        verdict: c.verdict as unknown as Json,
      });
    } catch {
      // Without a data folder (the CLI) a comparison lives only as long as the process.
    }
  };

  const handlers: ComparisonHandlers = {
    async startComparison({ spec }) {
      for (const v of spec.variants) deps.modelExists(v.modelId);
      const id = randomUUID();
      const seed = spec.seed ?? randomInt(0, 0xffffffff - 1024);
      const c: Live = { spec, seed, createdAt: Date.now(), runs: [], verdict: VerdictSchema.parse({}), name: spec.name };
      live.set(id, c);
      const pending = launch(id, c, spec.variants);
      persist(id, c);
      track(id, pending);
      return { comparisonId: id, seed, runs: c.runs.map(({ runId, variantId, repeat, seed: s }) => ({ runId, variantId, repeat, seed: s })) };
    },

    async addComparisonVariants({ comparisonId, variants }) {
      const c = live.get(comparisonId) ?? fromStore(comparisonId);
      live.set(comparisonId, c);
      if (c.spec.variants.length + variants.length > MAX_VARIANTS) {
        throw new ApiError('invalid-argument', `a comparison holds at most ${MAX_VARIANTS} variants; remove one first`);
      }
      const taken = new Set(c.spec.variants.map((v) => v.id));
      for (const v of variants) {
        deps.modelExists(v.modelId);
        if (taken.has(v.id)) throw new ApiError('invalid-argument', `variants: the id "${v.id}" is already used in this comparison`);
        taken.add(v.id);
      }
      const before = c.runs.length;
      c.spec = { ...c.spec, variants: [...c.spec.variants, ...variants] };
      const pending = launch(comparisonId, c, variants);
      persist(comparisonId, c);
      track(comparisonId, pending);
      return {
        comparisonId,
        seed: c.seed,
        runs: c.runs.slice(before).map(({ runId, variantId, repeat, seed: s }) => ({ runId, variantId, repeat, seed: s })),
      };
    },

    async cancelComparison({ comparisonId }) {
      const c = live.get(comparisonId);
      if (!c) return { cancelled: 0 };
      const results = await Promise.all(c.runs.map((r) => deps.cancel(r.runId)));
      return { cancelled: results.filter(Boolean).length };
    },

    async saveComparison({ comparisonId, name, verdict }) {
      const c = live.get(comparisonId) ?? fromStore(comparisonId);
      c.verdict = verdict;
      if (name) c.name = name;
      persist(comparisonId, c);
      return { saved: true };
    },

    async getComparison({ comparisonId }) {
      const c = live.get(comparisonId) ?? fromStore(comparisonId);
      const history = deps.workspace.history();
      const runs = c.runs.map((run) => {
        if (!run.historyId) return run;
        const stored = history.get(run.historyId, { probabilities: true });
        const steps = (stored.probabilities ?? []) as CompletionResult['steps'];
        const result: CompletionResult = {
          text: stored.output,
          tokens: steps.map((s) => s.id),
          steps,
          finishReason: stored.finishReason as CompletionResult['finishReason'],
          metrics: stored.metrics as unknown as CompletionResult['metrics'],
          record: stored.record as unknown as CompletionResult['record'],
        };
        return { ...run, result };
      });
      const out: Comparison = { id: comparisonId, createdAt: c.createdAt, name: c.name, spec: c.spec, seed: c.seed, runs, verdict: c.verdict };
      return out;
    },

    async listComparisons({ limit }) {
      return deps.workspace
        .history()
        .listComparisons(limit)
        .map((stored) => {
          const spec = stored.spec as unknown as ComparisonSpec;
          const verdict = stored.verdict as unknown as Verdict;
          return {
            id: stored.id,
            createdAt: stored.createdAt,
            name: stored.name,
            variants: spec.variants.map((v) => ({ id: v.id, label: v.label })),
            repeats: spec.repeats,
            ...(verdict.winner ? { winner: verdict.winner } : {}),
          };
        });
    },
  };

  /** Start every repeat of each variant; resolves as each ends, keeping the comparison stored. */
  function launch(id: string, c: Live, variants: ComparisonSpec['variants']): Array<Promise<unknown>> {
    const pending: Array<Promise<unknown>> = [];
    for (const variant of variants) {
      for (let repeat = 0; repeat < c.spec.repeats; repeat++) {
        // Repeats use seeds s, s+1, ...: a variant's own seed, else the comparison's.
        const runSeed = ((variant.sampling.seed ?? c.seed) + repeat) >>> 0;
        const { runId, done } = deps.start(
          {
            modelId: variant.modelId,
            input: variant.input,
            sampling: { ...variant.sampling, seed: runSeed },
            topProbabilities: c.spec.topProbabilities,
            constraint: variant.constraint,
            templateHash: variant.template?.hash,
            templateId: variant.template?.id,
            templateVersion: variant.template?.version,
            ephemeral: false,
            prefix: variant.prefix,
          },
          { groupId: id, variant: `${variant.id}#${repeat}` },
        );
        const run: ComparisonRun = { runId, variantId: variant.id, repeat, seed: runSeed };
        c.runs.push(run);
        pending.push(
          done.then((outcome) => {
            run.historyId = outcome.historyId;
            if (outcome.error) run.error = outcome.error;
            persist(id, c);
          }),
        );
      }
    }
    return pending;
  }

  /** Forget a comparison's live state once all its runs ended (it is in the history). */
  const inFlight = new Map<string, number>();
  function track(id: string, pending: Array<Promise<unknown>>): void {
    inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
    void Promise.all(pending).then(() => {
      const left = (inFlight.get(id) ?? 1) - 1;
      if (left === 0) {
        inFlight.delete(id);
        live.delete(id);
      } else inFlight.set(id, left);
    });
  }

  function fromStore(comparisonId: string): Live {
    let stored;
    try {
      stored = deps.workspace.history().getComparison(comparisonId);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('not-found', `no comparison ${comparisonId}`);
    }
    return {
      spec: stored.spec as unknown as ComparisonSpec,
      seed: stored.seed,
      createdAt: stored.createdAt,
      runs: stored.runs as unknown as ComparisonRun[],
      verdict: VerdictSchema.parse(stored.verdict),
      name: stored.name,
    };
  }

  return { handlers };
}
