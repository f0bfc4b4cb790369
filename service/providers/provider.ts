// The provider seam: a model the service can run, wherever it runs. Runs, comparisons (and next,
// evaluations) talk to a ModelProvider, never to the inference process's messages, so a remote
// OpenAI-compatible endpoint plugs in beside the local GGUF without touching the runner.
// The local inference process (local.ts) is the first implementation.
import type {
  CompletionResult,
  Constraint,
  ModelSummary,
  PromptInput,
  RenderedPrompt,
  Sampling,
  TokenStep,
} from '../../core/api/contract.js';

/** What a provider can do with its models; what it cannot is shown disabled with the reason. */
export interface ProviderCapabilities {
  /** raw text in, as the model sees it */
  completion: boolean;
  /** messages through the model's chat template */
  chat: boolean;
  /** tokens stream as they are made */
  streaming: boolean;
  /** each token's probability and its top alternatives (0: none) */
  maxTopProbabilities: number;
  /** a seed reproduces a sampled run */
  seed: boolean;
  /** output constrained to a JSON schema / a GBNF grammar */
  jsonSchema: boolean;
  grammar: boolean;
  /** the exact tokens of a prompt */
  tokenize: boolean;
  /** the probability of given tokens at a position (label probability, the divergence banner) */
  scoring: boolean;
  /** continue from a forced token prefix (forks) */
  forks: boolean;
  /** variants with a common prompt evaluate it once */
  prefixSharing: boolean;
}

/** One generation: what the service asks of a provider for a run. */
export interface CompletionRequest {
  runId: string;
  input: PromptInput;
  sampling: Sampling;
  topProbabilities: number;
  constraint?: Constraint;
  templateHash?: string;
  /** tokens forced after the prompt (a fork from a chosen token) */
  prefix?: number[];
}

export interface ScoreRequest {
  input: PromptInput;
  prefix: number[];
  candidates: number[];
  temperature: number;
  topK?: number;
  topP?: number;
  minP?: number;
}

/**
 * A source of models. Tokens stream out through the sink the provider was made with (the service
 * turns them into run.delta events); the promise of `complete` settles with the whole result.
 */
export interface ModelProvider {
  readonly kind: 'local';
  capabilities(modelId: string): ProviderCapabilities;
  /** Make the model ready to run (a local model loads); resolves with its summary. */
  prepare(modelId: string): Promise<ModelSummary>;
  render(modelId: string, input: PromptInput): Promise<RenderedPrompt>;
  tokenize(modelId: string, text: string): Promise<{ ids: number[]; pieces: string[] }>;
  detokenize(modelId: string, ids: number[]): Promise<{ text: string }>;
  /** Called once `prepare` resolved; `cancelled()` is asked just before the work starts. */
  complete(modelId: string, request: CompletionRequest, cancelled: () => boolean): Promise<CompletionResult>;
  /** Stop a run in flight; resolves once the provider has taken it (or given up on it). */
  cancel(runId: string): Promise<void>;
  score(modelId: string, request: ScoreRequest): Promise<Array<{ id: number; text: string; p: number }>>;
}

/** A run's token stream, as a provider reports it. */
export type StreamEvent =
  | { type: 'delta'; runId: string; text: string; steps: TokenStep[] }
  | { type: 'state'; runId: string; state: 'queued' | 'running' };
