// The compare view's state and actions, as types only: the store's AppState includes them, and
// the slice implements them (compare-slice.ts), so they live apart from both.
import type { ApiInput, ApiOutput, CompletionResult, Comparison, ComparisonSpec, Verdict } from '../../../core/api/contract';
import type { ExtractionRule } from '../../../core/prompt/index';
import type { SweepKind, VariantDraft } from './compare-variants';
import type { StepChunks } from './token-steps';

/** What a comparison's variants follow in the workbench (compare-link.ts keeps it current). */
export interface WorkbenchLink {
  name: string;
  tab: 'template' | 'raw';
  /** the template's library id once saved; else the editor's load count identifies it */
  savedId: string | null;
  loadCount: number;
  /** the workbench as the variants last saw it */
  base: VariantDraft;
  detached: string | null;
}

export type CompareRunStatus = 'starting' | 'queued' | 'running' | 'done' | 'cancelled' | 'error';

export interface CompareRunView {
  runId: string;
  variantId: string;
  repeat: number;
  seed: number;
  status: CompareRunStatus;
  text: string;
  steps: StepChunks;
  tokenCount: number;
  /** live until the end, then the backend's */
  ttftMs: number | null;
  liveTokensPerSecond: number | null;
  result: CompletionResult | null;
  error: string | null;
  stopRequested: boolean;
}

export interface CurrentComparison {
  id: string;
  createdAt: number;
  seed: number;
  spec: ComparisonSpec;
  /** per variant: the prompt as text, its answer rule, and a fork's forced text */
  prompts: Record<string, string>;
  extraction: Record<string, ExtractionRule | null>;
  forced: Record<string, string | null>;
  /** reopened from the saved list (not run in this session) */
  reopened: boolean;
}

export type ExportFormat = 'markdown' | 'json' | 'csv';

export interface CompareSlice {
  view: 'workbench' | 'compare';
  name: string;
  drafts: VariantDraft[];
  repeats: number;
  seed: number | null;
  buildError: string | null;
  buildErrorVariant: string | null;
  current: CurrentComparison | null;
  runs: Record<string, CompareRunView>;
  /** run ids in the order the backend gave them */
  runOrder: string[];
  starting: boolean;
  error: string | null;
  verdict: Verdict;
  saveState: 'unsaved' | 'saving' | 'saved';
  saveError: string | null;
  list: Array<{ id: string; createdAt: number; name: string; variants: Array<{ id: string; label: string }>; repeats: number; winner?: string }>;
  listLoading: boolean;
  listError: string | null;
  forking: boolean;
  /** what the variants follow in the workbench; null for a reopened comparison */
  link: WorkbenchLink | null;
  /** a reopened comparison's top-N probabilities (null: the workbench's setting) */
  topProbabilities: number | null;
}

export interface CompareActions {
  setView(view: CompareSlice['view']): void;
  /** The current template (or raw prompt) as variant A and a copy as B, in the Compare view. */
  compareWithCurrent(): void;
  addVariant(fromId?: string): void;
  removeVariant(id: string): void;
  moveVariant(from: number, to: number): void;
  updateVariant(id: string, changes: Partial<Pick<VariantDraft, 'label' | 'modelId' | 'raw'>>): void;
  updateVariantSampling(id: string, changes: Partial<VariantDraft['sampling']>): void;
  /** Edit a variant's template in the workbench's own shape (technique, instruction…). */
  updateVariantTemplate(id: string, changes: Partial<NonNullable<VariantDraft['template']>>): void;
  /** Replace the variants with a sweep of `baseId` (default: the first). */
  applySweep(kind: SweepKind, values: string, baseId?: string): boolean;
  setCompareName(name: string): void;
  setRepeats(n: number): void;
  setCompareSeed(seed: number | null): void;
  runComparison(): Promise<void>;
  stopComparison(): void;
  stopCompareRun(runId: string): void;
  forkFrom(runId: string, stepIndex: number, alternative: { id: number; text: string }): Promise<void>;
  rateRun(runId: string, rating: { thumb?: 1 | -1 | null; stars?: number | null }): void;
  setRepeatWinner(repeat: number, variantId: string | null): void;
  setOverallWinner(variantId: string | null): void;
  setVerdictNotes(notes: string): void;
  saveComparison(): Promise<void>;
  loadComparisons(): Promise<void>;
  openComparison(id: string): Promise<void>;
  /** Back to the builder (the variants stay). */
  editComparison(): void;
  /** Make the variants follow the workbench's template again (after it moved to another one). */
  refreshFromWorkbench(): void;
  exportComparison(format: ExportFormat): { text: string; fileName: string; type: string } | null;
  /** The comparison as the exports see it (spec, runs with results, verdict). */
  comparisonSnapshot(): Comparison | null;
  /** How likely each candidate is as the next token (for the first divergence). */
  scoreTokens(input: ApiInput<'scoreTokens'>): Promise<ApiOutput<'scoreTokens'>>;
}
