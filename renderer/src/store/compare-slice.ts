// The Compare view's state: the variants being built, the comparison that runs (or was reopened),
// each run's streamed text and probabilities, and the verdict.
//
// Streaming: every run has its own buffer; one flush per animation frame moves all buffered deltas
// into the store at once, replacing only the run objects that changed (a column whose run did not
// change keeps its object, so it does not re-render). Events of runs whose ids are not known yet
// (browser mode: the WebSocket can beat startComparison's HTTP answer) are held and replayed.
import type { ApiInput, ApiOutput, ServiceEvent, CompletionResult, Comparison, ComparisonSpec, TokenStep, Verdict } from '../../../core/api/contract';
import { comparisonToCsv, comparisonToJson, comparisonToMarkdown } from '../../../core/compare/index';
import type { ExtractionRule } from '../../../core/prompt/index';
import { followWorkbench, workbenchChanged } from './compare-follow';
import { draftFromWorkbench, linkTo, stillLinked, workbenchName, type WorkbenchLink } from './compare-link';
import {
  buildSpec,
  cloneSampling,
  cloneTemplate,
  draftsFromSpec,
  forkVariant,
  inputText,
  MAX_VARIANTS,
  move,
  nextVariantId,
  prefixText,
  relabelIds,
  sweep,
  sweepDefaults,
  type SweepKind,
  type VariantDraft,
} from './compare-variants';
import { errorCode, errorMessage, patch, type SliceContext } from './context';
import { defaultFrameScheduler, type FrameScheduler } from './frame-batcher';
import { sanitizeSampling } from './sampling';
import { appendSteps, chunksFromSteps, NO_STEPS, stepCount, type StepChunks } from './token-steps';
import type { AppState } from './types';

export type { CompareActions, CompareRunStatus, CompareRunView, CompareSlice, CurrentComparison, ExportFormat } from './compare-types';
import type { CompareActions, CompareRunStatus, CompareRunView, CompareSlice, CurrentComparison, ExportFormat } from './compare-types';

export const emptyVerdict = (): Verdict => ({ ratings: {}, winners: {}, notes: '' });

export const initialCompare: CompareSlice = {
  view: 'workbench',
  name: 'Comparison',
  drafts: [],
  repeats: 1,
  seed: null,
  buildError: null,
  buildErrorVariant: null,
  current: null,
  runs: {},
  runOrder: [],
  starting: false,
  error: null,
  verdict: emptyVerdict(),
  saveState: 'unsaved',
  saveError: null,
  list: [],
  listLoading: false,
  listError: null,
  forking: false,
  link: null,
  topProbabilities: null,
};

type RunEvent = Extract<ServiceEvent, { type: 'run.delta' | 'run.end' | 'run.error' | 'run.state' }>;

interface Buffer {
  chunks: string[];
  steps: TokenStep[];
  tokens: number;
  firstAt: number;
  firstTokens: number;
  lastAt: number;
  seen: boolean;
}

export interface CompareController {
  actions: CompareActions;
  onRunEvent(event: RunEvent): void;
  /** Store subscription: carries workbench edits into the variants that follow it. */
  watch(state: AppState, previous: AppState): void;
  dispose(): void;
}

const TERMINAL: ReadonlySet<CompareRunStatus> = new Set(['done', 'cancelled', 'error']);

function newRunView(run: { runId: string; variantId: string; repeat: number; seed: number }): CompareRunView {
  return {
    ...run,
    status: 'starting',
    text: '',
    steps: NO_STEPS,
    tokenCount: 0,
    ttftMs: null,
    liveTokensPerSecond: null,
    result: null,
    error: null,
    stopRequested: false,
  };
}

export function createCompareController(ctx: SliceContext, scheduler: FrameScheduler = defaultFrameScheduler()): CompareController {
  const { api, get, now } = ctx;
  const buffers = new Map<string, Buffer>();
  let cancelFrame: (() => void) | null = null;
  /** events of runs not known yet, while a start is in flight */
  let early: RunEvent[] = [];
  let pendingStarts = 0;
  /** start time per run, for the live TTFT */
  const startedAt = new Map<string, number>();
  /** Bumped when another comparison replaces the current one: late answers are dropped. */
  let generation = 0;

  const c = () => get().compare;
  const set = (changes: Partial<CompareSlice> | ((s: CompareSlice) => Partial<CompareSlice>)) => patch(ctx, 'compare', changes);
  const markChanged = () => {
    if (c().saveState === 'saved') set({ saveState: 'unsaved' });
  };

  const flush = () => {
    cancelFrame?.();
    cancelFrame = null;
    if (buffers.size === 0) return;
    const pending = [...buffers.entries()].filter(([, b]) => b.chunks.length || b.steps.length || b.tokens);
    if (pending.length === 0) return;
    set((s) => {
      const runs = { ...s.runs };
      for (const [runId, b] of pending) {
        const run = runs[runId];
        if (!run || TERMINAL.has(run.status)) continue;
        const text = b.chunks.length === 1 ? b.chunks[0]! : b.chunks.join('');
        const tokenCount = run.tokenCount + b.tokens;
        const seconds = (b.lastAt - b.firstAt) / 1000;
        const after = tokenCount - b.firstTokens;
        runs[runId] = {
          ...run,
          status: 'running',
          text: run.text + text,
          steps: appendSteps(run.steps, b.steps),
          tokenCount,
          ttftMs: run.ttftMs ?? Math.max(0, b.firstAt - (startedAt.get(runId) ?? b.firstAt)),
          liveTokensPerSecond: seconds > 0 && after > 0 ? after / seconds : run.liveTokensPerSecond,
        };
        b.chunks = [];
        b.steps = [];
        b.tokens = 0;
      }
      return { runs };
    });
  };

  const schedule = () => {
    if (!cancelFrame) cancelFrame = scheduler.request(() => {
      cancelFrame = null;
      flush();
    });
  };

  const patchRun = (runId: string, update: (run: CompareRunView) => Partial<CompareRunView>) => {
    set((s) => {
      const run = s.runs[runId];
      if (!run) return {};
      return { runs: { ...s.runs, [runId]: { ...run, ...update(run) } } };
    });
  };

  const apply = (event: RunEvent) => {
    switch (event.type) {
      case 'run.delta': {
        const t = now();
        let b = buffers.get(event.runId);
        if (!b) {
          b = { chunks: [], steps: [], tokens: 0, firstAt: t, firstTokens: event.tokens, lastAt: t, seen: true };
          buffers.set(event.runId, b);
        }
        b.lastAt = t;
        if (event.text) b.chunks.push(event.text);
        for (const step of event.steps) b.steps.push(step);
        b.tokens += event.tokens;
        schedule();
        return;
      }
      case 'run.state': {
        patchRun(event.runId, (run) => {
          if (TERMINAL.has(run.status)) return {};
          if (event.state === 'running' && run.status !== 'running') startedAt.set(event.runId, now());
          return { status: event.state };
        });
        return;
      }
      case 'run.end': {
        flush();
        buffers.delete(event.runId);
        const { result } = event;
        patchRun(event.runId, (run) => ({
          status: result.finishReason === 'cancelled' ? 'cancelled' : 'done',
          text: result.text,
          steps: stepCount(run.steps) === result.steps.length ? run.steps : chunksFromSteps(result.steps),
          tokenCount: result.metrics.generatedTokens,
          ttftMs: result.metrics.ttftMs,
          liveTokensPerSecond: null,
          result,
          error: null,
        }));
        afterRunEnded();
        return;
      }
      case 'run.error': {
        flush();
        buffers.delete(event.runId);
        const cancelled = event.error.code === 'cancelled';
        patchRun(event.runId, () => ({ status: cancelled ? 'cancelled' : 'error', liveTokensPerSecond: null, error: cancelled ? null : event.error.message }));
        afterRunEnded();
        return;
      }
    }
  };

  /** Fill in the forced text of forks once their parents' steps are known. */
  const afterRunEnded = () => {
    const current = c().current;
    if (!current) return;
    const missing = current.spec.variants.filter((v) => v.prefix?.length && current.forced[v.id] == null);
    if (!missing.length) return;
    const forced = { ...current.forced };
    for (const v of missing) forced[v.id] = prefixText(v.prefix, candidatesFor(current, forced));
    set({ current: { ...current, forced } });
  };

  const candidatesFor = (current: CurrentComparison, forced: Record<string, string | null>) => {
    const runs = c().runs;
    return Object.values(runs)
      .filter((r) => r.result)
      .map((r) => {
        const variant = current.spec.variants.find((v) => v.id === r.variantId);
        const text = forced[r.variantId];
        return { steps: r.result!.steps, ...(variant?.prefix ? { prefix: variant.prefix } : {}), ...(text != null ? { prefixText: text } : {}) };
      });
  };

  const registerRuns = (runs: Array<{ runId: string; variantId: string; repeat: number; seed: number }>) => {
    const t = now();
    set((s) => {
      const next = { ...s.runs };
      for (const run of runs) {
        next[run.runId] = newRunView(run);
        startedAt.set(run.runId, t);
      }
      return { runs: next, runOrder: [...s.runOrder, ...runs.map((r) => r.runId)] };
    });
    const held = early.filter((e) => runs.some((r) => r.runId === e.runId));
    early = pendingStarts > 0 ? early.filter((e) => !runs.some((r) => r.runId === e.runId)) : [];
    for (const event of held) apply(event);
  };

  const resetStreams = () => {
    cancelFrame?.();
    cancelFrame = null;
    buffers.clear();
    startedAt.clear();
    early = [];
  };

  const updateDraft = (id: string, update: (d: VariantDraft) => VariantDraft) => {
    set((s) => ({ drafts: s.drafts.map((d) => (d.id === id ? update(d) : d)), buildError: null, buildErrorVariant: null }));
  };

  const snapshot = (): Comparison | null => {
    const s = c();
    if (!s.current) return null;
    return {
      id: s.current.id,
      createdAt: s.current.createdAt,
      name: s.name.trim() || s.current.spec.name,
      spec: s.current.spec,
      seed: s.current.seed,
      runs: s.runOrder.flatMap((id) => {
        const r = s.runs[id];
        if (!r) return [];
        return [
          {
            runId: r.runId,
            variantId: r.variantId,
            repeat: r.repeat,
            seed: r.seed,
            ...(r.result ? { result: r.result } : {}),
            ...(r.error ? { error: { code: 'internal' as const, message: r.error } } : {}),
          },
        ];
      }),
      verdict: s.verdict,
    };
  };

  const actions: CompareActions = {
    setView(view) {
      if (c().view === view) return;
      set({ view });
      if (view === 'compare') {
        if (c().drafts.length === 0 && !c().current) actions.compareWithCurrent();
        void actions.loadComparisons();
      }
    },
    compareWithCurrent() {
      const state = get();
      const a = draftFromWorkbench(state, 'a', 'A');
      const b = { ...draftFromWorkbench(state, 'b', 'B') };
      const name = state.editor.tab === 'raw' ? 'Raw prompt' : state.template.draft.name || 'Comparison';
      set({ view: 'compare', drafts: [a, b], name: `${name} A/B`.slice(0, 200), buildError: null, buildErrorVariant: null, link: linkTo(state), topProbabilities: null });
      if (c().current && !c().current!.reopened && c().runOrder.some((id) => !TERMINAL.has(c().runs[id]!.status))) return;
      set({ current: null, runs: {}, runOrder: [], verdict: emptyVerdict(), saveState: 'unsaved', error: null });
      resetStreams();
      void actions.loadComparisons();
    },
    addVariant(fromId) {
      const s = c();
      if (s.drafts.length >= MAX_VARIANTS) {
        set({ buildError: `A comparison holds at most ${MAX_VARIANTS} variants.` });
        return;
      }
      const base = s.drafts.find((d) => d.id === fromId) ?? s.drafts[s.drafts.length - 1];
      const id = nextVariantId(s.drafts.map((d) => d.id));
      const draft: VariantDraft = base
        ? { ...base, id, label: id.toUpperCase(), template: base.template ? cloneTemplate(base.template) : null, sampling: cloneSampling(base.sampling) }
        : draftFromWorkbench(get(), id, id.toUpperCase());
      const at = base ? s.drafts.indexOf(base) + 1 : s.drafts.length;
      set({ drafts: [...s.drafts.slice(0, at), draft, ...s.drafts.slice(at)], buildError: null, buildErrorVariant: null });
    },
    removeVariant(id) {
      set((s) => ({ drafts: s.drafts.filter((d) => d.id !== id), buildError: null, buildErrorVariant: null }));
    },
    moveVariant(from, to) {
      set((s) => ({ drafts: move(s.drafts, from, to) }));
    },
    updateVariant(id, changes) {
      updateDraft(id, (d) => ({ ...d, ...changes }));
    },
    updateVariantSampling(id, changes) {
      updateDraft(id, (d) => ({ ...d, sampling: sanitizeSampling({ ...d.sampling, ...changes }) }));
    },
    updateVariantTemplate(id, changes) {
      updateDraft(id, (d) => (d.template ? { ...d, template: { ...d.template, ...changes } } : d));
    },
    applySweep(kind, values, baseId) {
      const s = c();
      const base = s.drafts.find((d) => d.id === baseId) ?? s.drafts[0] ?? draftFromWorkbench(get(), 'a', 'A');
      const state = get();
      const others = state.models.order.filter((id) => id !== base.modelId);
      const result = sweep(base, kind, values.trim() ? values : sweepDefaults(kind, base), {
        modelIds: kind === 'model' ? [base.modelId, ...others].slice(0, MAX_VARIANTS) : [],
        modelName: (id) => state.models.byId[id]?.fileName ?? id,
      });
      if (!result.ok || (kind === 'model' && result.drafts.length < 2)) {
        set({ buildError: result.error ?? 'Open another model first: a model sweep needs two.', buildErrorVariant: null });
        return false;
      }
      set({ drafts: relabelIds(result.drafts), buildError: null, buildErrorVariant: null });
      return true;
    },
    setCompareName(name) {
      set({ name });
      markChanged();
    },
    setRepeats(n) {
      set({ repeats: Math.max(1, Math.min(16, Math.round(Number.isFinite(n) ? n : 1))) });
    },
    setCompareSeed(seed) {
      set({ seed: seed === null || !Number.isFinite(seed) ? null : Math.max(0, Math.min(0xffffffff, Math.round(seed))) });
    },
    async runComparison() {
      const state = get();
      const s = state.compare;
      if (s.starting) return;
      const built = buildSpec(s.name, s.drafts, state.template.values, {
        repeats: s.repeats,
        ...(s.seed !== null ? { seed: s.seed } : {}),
        topProbabilities: s.topProbabilities ?? Math.max(1, state.editor.topProbabilities),
        userPresets: state.presets.user,
      });
      if (!built.ok) {
        set({ buildError: built.error, buildErrorVariant: built.variantId ?? null });
        return;
      }
      const mine = ++generation;
      resetStreams();
      pendingStarts++;
      const prompts: Record<string, string> = {};
      const extraction: Record<string, ExtractionRule | null> = {};
      for (const b of built.built) {
        prompts[b.variant.id] = b.promptText;
        extraction[b.variant.id] = b.extraction;
      }
      set({ starting: true, error: null, buildError: null, buildErrorVariant: null, current: null, runs: {}, runOrder: [], verdict: emptyVerdict(), saveState: 'unsaved', saveError: null });
      try {
        const started = await api.startComparison({ spec: built.spec });
        if (mine !== generation) return;
        set({
          current: { id: started.comparisonId, createdAt: Date.now(), seed: started.seed, spec: { ...built.spec, seed: started.seed }, prompts, extraction, forced: {}, reopened: false },
        });
        pendingStarts--;
        registerRuns(started.runs);
      } catch (error) {
        pendingStarts--;
        if (mine !== generation) return;
        early = [];
        set({ error: errorMessage(error) });
      } finally {
        if (mine === generation) set({ starting: false });
      }
    },
    stopComparison() {
      const current = c().current;
      if (!current) return;
      set((s) => {
        const runs = { ...s.runs };
        for (const id of s.runOrder) {
          const r = runs[id];
          if (r && !TERMINAL.has(r.status)) runs[id] = { ...r, stopRequested: true };
        }
        return { runs };
      });
      api.cancelComparison({ comparisonId: current.id }).catch((error: unknown) => set({ error: errorMessage(error) }));
    },
    stopCompareRun(runId) {
      const run = c().runs[runId];
      if (!run || TERMINAL.has(run.status) || run.stopRequested) return;
      patchRun(runId, () => ({ stopRequested: true }));
      api.cancelRun({ runId }).catch((error: unknown) => {
        if (errorCode(error) === 'not-found') return;
        patchRun(runId, () => ({ error: errorMessage(error) }));
      });
    },
    async forkFrom(runId, stepIndex, alternative) {
      const s = c();
      const current = s.current;
      const run = s.runs[runId];
      if (!current || !run) return;
      if (current.spec.variants.length >= MAX_VARIANTS) {
        set({ error: `A comparison holds at most ${MAX_VARIANTS} variants: remove one or start a new comparison to fork again.` });
        return;
      }
      const parent = current.spec.variants.find((v) => v.id === run.variantId);
      if (!parent) return;
      const steps = run.result?.steps ?? run.steps.flatMap((chunk) => chunk.steps);
      const variant = forkVariant(parent, steps, stepIndex, alternative, current.spec.variants.map((v) => v.id));
      // The fork keeps the parent's sampling and seed, so only the forced token differs.
      variant.sampling = { ...variant.sampling, seed: run.seed };
      const forcedText = (current.forced[parent.id] ?? '') + steps.slice(0, stepIndex).map((st) => st.text).join('') + alternative.text;
      const mine = generation;
      pendingStarts++;
      set({ forking: true, error: null });
      try {
        const added = await api.addComparisonVariants({ comparisonId: current.id, variants: [variant] });
        pendingStarts--;
        if (mine !== generation) return;
        const now = c().current;
        if (!now) return;
        set({
          current: {
            ...now,
            spec: { ...now.spec, variants: [...now.spec.variants, variant] },
            prompts: { ...now.prompts, [variant.id]: now.prompts[parent.id] ?? inputText(variant.input) },
            extraction: { ...now.extraction, [variant.id]: now.extraction[parent.id] ?? null },
            forced: { ...now.forced, [variant.id]: forcedText },
          },
        });
        registerRuns(added.runs);
        markChanged();
      } catch (error) {
        pendingStarts--;
        if (pendingStarts === 0) early = [];
        set({ error: `Cannot fork: ${errorMessage(error)}` });
      } finally {
        set({ forking: false });
      }
    },
    rateRun(runId, rating) {
      set((s) => {
        const old = s.verdict.ratings[runId] ?? {};
        const next: { thumb?: 1 | -1; stars?: number } = { ...old };
        if (rating.thumb !== undefined) {
          if (rating.thumb === null) delete next.thumb;
          else next.thumb = rating.thumb;
        }
        if (rating.stars !== undefined) {
          if (rating.stars === null) delete next.stars;
          else next.stars = Math.max(1, Math.min(5, Math.round(rating.stars)));
        }
        const ratings = { ...s.verdict.ratings };
        if (next.thumb === undefined && next.stars === undefined) delete ratings[runId];
        else ratings[runId] = next;
        return { verdict: { ...s.verdict, ratings } };
      });
      markChanged();
    },
    setRepeatWinner(repeat, variantId) {
      set((s) => {
        const winners = { ...s.verdict.winners };
        if (variantId === null) delete winners[String(repeat)];
        else winners[String(repeat)] = variantId;
        return { verdict: { ...s.verdict, winners } };
      });
      markChanged();
    },
    setOverallWinner(variantId) {
      set((s) => {
        const { winner: _w, ...rest } = s.verdict;
        return { verdict: variantId ? { ...rest, winner: variantId } : rest };
      });
      markChanged();
    },
    setVerdictNotes(notes) {
      set((s) => ({ verdict: { ...s.verdict, notes } }));
      markChanged();
    },
    async saveComparison() {
      const s = c();
      if (!s.current) return;
      set({ saveState: 'saving', saveError: null });
      try {
        const name = s.name.trim().slice(0, 200);
        await api.saveComparison({ comparisonId: s.current.id, ...(name ? { name } : {}), verdict: s.verdict });
        set({ saveState: 'saved' });
        void actions.loadComparisons();
      } catch (error) {
        set({ saveState: 'unsaved', saveError: errorMessage(error) });
      }
    },
    async loadComparisons() {
      set({ listLoading: true, listError: null });
      try {
        const list = await api.listComparisons({ limit: 50 });
        set({ list, listLoading: false });
      } catch (error) {
        set({ listLoading: false, listError: errorMessage(error) });
      }
    },
    async openComparison(id) {
      const mine = ++generation;
      set({ error: null });
      let comparison: Comparison;
      try {
        comparison = await api.getComparison({ comparisonId: id });
      } catch (error) {
        if (mine === generation) set({ error: `Cannot open the comparison: ${errorMessage(error)}` });
        return;
      }
      if (mine !== generation) return;
      resetStreams();
      const runs: Record<string, CompareRunView> = {};
      for (const r of comparison.runs) {
        const result = r.result ?? null;
        runs[r.runId] = {
          ...newRunView(r),
          status: result ? (result.finishReason === 'cancelled' ? 'cancelled' : 'done') : r.error ? (r.error.code === 'cancelled' ? 'cancelled' : 'error') : 'cancelled',
          text: result?.text ?? '',
          steps: result ? chunksFromSteps(result.steps) : NO_STEPS,
          tokenCount: result?.metrics.generatedTokens ?? 0,
          ttftMs: result?.metrics.ttftMs ?? null,
          result,
          error: r.error && r.error.code !== 'cancelled' ? r.error.message : null,
        };
      }
      const prompts: Record<string, string> = {};
      const extraction: Record<string, ExtractionRule | null> = {};
      for (const v of comparison.spec.variants) {
        prompts[v.id] = inputText(v.input);
        extraction[v.id] = (v.extraction as ExtractionRule | undefined) ?? null;
      }
      const current: CurrentComparison = { id: comparison.id, createdAt: comparison.createdAt, seed: comparison.seed, spec: comparison.spec, prompts, extraction, forced: {}, reopened: true };
      set({
        view: 'compare',
        name: comparison.name,
        current,
        runs,
        runOrder: comparison.runs.map((r) => r.runId),
        verdict: { ratings: { ...comparison.verdict.ratings }, winners: { ...comparison.verdict.winners }, notes: comparison.verdict.notes ?? '', ...(comparison.verdict.winner ? { winner: comparison.verdict.winner } : {}) },
        saveState: 'saved',
        saveError: null,
        // "Edit variants" and "Run again" start from exactly what was saved: its variants (prompts
        // as they ran, variables filled in), settings, repeats, seed and top-N probabilities.
        drafts: draftsFromSpec(comparison.spec),
        repeats: comparison.spec.repeats,
        seed: comparison.seed,
        topProbabilities: comparison.spec.topProbabilities,
        link: null,
        buildError: null,
        buildErrorVariant: null,
        starting: false,
      });
      afterRunEnded();
    },
    editComparison() {
      const s = c();
      // The comparison's own variants, exactly as they ran, when there is nothing else to edit.
      if (s.current && s.drafts.length === 0) set({ drafts: draftsFromSpec(s.current.spec) });
      if (s.runOrder.some((id) => !TERMINAL.has(s.runs[id]!.status))) return;
      generation++;
      resetStreams();
      set({ current: null, runs: {}, runOrder: [], verdict: emptyVerdict(), saveState: 'unsaved', error: null });
    },
    exportComparison(format) {
      const comparison = snapshot();
      if (!comparison) return null;
      const base = (comparison.name || 'comparison').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'comparison';
      if (format === 'markdown') return { text: comparisonToMarkdown(comparison), fileName: `${base}.md`, type: 'text/markdown' };
      if (format === 'json') return { text: comparisonToJson(comparison), fileName: `${base}.json`, type: 'application/json' };
      return { text: comparisonToCsv(comparison), fileName: `${base}.csv`, type: 'text/csv' };
    },
    refreshFromWorkbench() {
      const state = get();
      const link = c().link;
      if (!link) return actions.compareWithCurrent();
      // Same template: catch up (nothing is lost); another one: start from it.
      if (stillLinked(link, state)) follow();
      else actions.compareWithCurrent();
    },
    comparisonSnapshot: snapshot,
    scoreTokens: (input) => api.scoreTokens(input),
  };

  /** Carry the workbench's change since the variants last saw it into every variant that follows it. */
  const follow = () => {
    const state = get();
    const link = state.compare.link;
    if (!link) return;
    if (!stillLinked(link, state)) {
      const now = workbenchName(state);
      if (link.detached !== now) set({ link: { ...link, detached: now } });
      return;
    }
    const next = draftFromWorkbench(state, 'base', 'base');
    const savedId = link.savedId ?? state.template.saved?.id ?? null;
    if (!workbenchChanged(link.base, next)) {
      if (link.detached || savedId !== link.savedId) set({ link: { ...link, detached: null, savedId } });
      return;
    }
    set((s) => ({
      drafts: s.drafts.map((d) => followWorkbench(d, link.base, next)),
      link: { ...link, base: next, name: workbenchName(state), savedId, detached: null },
      buildError: null,
      buildErrorVariant: null,
    }));
  };

  return {
    actions,
    watch(state, previous) {
      if (!state.compare.link) return;
      if (
        state.template.draft === previous.template.draft &&
        state.template.saved === previous.template.saved &&
        state.template.loadCount === previous.template.loadCount &&
        state.editor.sampling === previous.editor.sampling &&
        state.editor.preset === previous.editor.preset &&
        state.editor.tab === previous.editor.tab &&
        state.editor.prompt === previous.editor.prompt &&
        state.models.selectedId === previous.models.selectedId &&
        state.presets.user === previous.presets.user
      )
        return;
      follow();
    },
    onRunEvent(event) {
      if (c().runs[event.runId]) apply(event);
      else if (pendingStarts > 0) early.push(event);
    },
    dispose() {
      resetStreams();
    },
  };
}
