// What Shotglass's patched node-llama-cpp addon adds (scripts/native/build-addon.mjs), reached
// through node-llama-cpp's internal handles. Everything here degrades to the stock behaviour when
// the stock addon is loaded (a platform the patch is not built for, or a failed build). Besides
// samplers.ts (TokenBias's map), the only module that touches node-llama-cpp internals, all of them
// pinned to its version 3.21.1.
import type { Llama, LlamaContext, LlamaContextSequence, Token } from 'node-llama-cpp';
import { SAMPLING_LIMITS } from '../core/api/contract.js';

/** The most token probabilities a sample ships to JavaScript: the contract's top-N maximum. */
export const PROBABILITIES_LIMIT = SAMPLING_LIMITS.topProbabilities.max;

interface PatchedAddonContext {
  setProbabilitiesLimit(limit: number): void;
  copySequence(source: number, targets: number[]): void;
  getShotglassFeatures(): { version: number; threadpool: boolean; threadpoolThreads: number };
}

interface SequenceInternals {
  _sequenceId: number;
  _contextTokens: Token[];
  _nextTokenIndex: number;
  _loadedTokenPredictions: unknown[];
  _checkpoints?: { clearAllCheckpoints(): void };
}

/** Is the loaded binding Shotglass's build? (Its AddonContext has the added methods.) */
export function isPatchedAddon(llama: Llama): boolean {
  const bindings = (llama as unknown as { _bindings?: { AddonContext?: { prototype?: Record<string, unknown> } } })._bindings;
  return typeof bindings?.AddonContext?.prototype?.copySequence === 'function';
}

function patched(context: LlamaContext): PatchedAddonContext | undefined {
  const ctx = (context as unknown as { _ctx?: Partial<PatchedAddonContext> })._ctx;
  return typeof ctx?.copySequence === 'function' ? (ctx as PatchedAddonContext) : undefined;
}

/**
 * Top-N probabilities: sampling then ships at most `limit` tokens (sorted) instead of the whole
 * vocabulary (0 = all). Context-wide and read when a sample starts. No-op on the stock addon.
 */
export function setProbabilitiesLimit(context: LlamaContext, limit: number): void {
  patched(context)?.setProbabilitiesLimit(limit);
}

export function canCopySequences(context: LlamaContext): boolean {
  return patched(context) !== undefined;
}

/**
 * Makes each target hold exactly what `source` holds (KV cells and node-llama-cpp's record of its
 * tokens), so a prompt evaluated once serves several runs. The caller guarantees that no native
 * work runs on this context meanwhile: no decode in flight and no checkpoints (models that need
 * them are not shared; llama.cpp's KV metadata is not thread-safe), as node-llama-cpp's own
 * loadStateFromFile does under its locks. On failure every target is left empty on both sides.
 */
export function copySequence(context: LlamaContext, source: LlamaContextSequence, targets: LlamaContextSequence[]): void {
  const ctx = patched(context);
  if (!ctx) throw new Error('sequence copies need Shotglass\'s build of the node-llama-cpp addon');
  const from = source as unknown as SequenceInternals;
  const to = targets as unknown as SequenceInternals[];
  if (targets.some((t) => t === source || t.context !== context) || new Set(targets).size !== targets.length || source.context !== context) {
    throw new Error('a sequence is copied to other, distinct sequences of its own context');
  }
  for (const target of to) {
    target._checkpoints?.clearAllCheckpoints();
    target._loadedTokenPredictions.length = 0;
  }
  try {
    ctx.copySequence(from._sequenceId, to.map((t) => t._sequenceId));
  } catch (error) {
    // The addon emptied the targets; say so, or the next run would trust tokens their cache lacks.
    for (const target of to) {
      target._contextTokens = [];
      target._nextTokenIndex = 0;
    }
    throw error;
  }
  for (const target of to) {
    target._contextTokens = from._contextTokens.slice(0, from._nextTokenIndex);
    target._nextTokenIndex = target._contextTokens.length;
  }
}
