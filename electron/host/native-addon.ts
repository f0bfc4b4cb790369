// What Shotglass's patched node-llama-cpp addon adds (scripts/native/build-addon.mjs), reached
// through node-llama-cpp's internal handles. Everything here degrades to the stock behaviour when
// the stock addon is loaded (a platform the patch is not built for, or a failed build), and is the
// only module that touches node-llama-cpp internals, all of them pinned to its version 3.21.1.
import type { Llama, LlamaContext, LlamaContextSequence, Token } from 'node-llama-cpp';

/** The most token probabilities a sample ships to JavaScript (the contract's top-N maximum). */
export const PROBABILITIES_LIMIT = 20;

interface PatchedAddonContext {
  setProbabilitiesLimit(limit: number): void;
  copySequence(source: number, target: number): void;
  disposeSequence(sequence: number): void;
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

export function addonFeatures(context: LlamaContext): { patched: boolean; threadpool: boolean } {
  const ctx = patched(context);
  return { patched: ctx !== undefined, threadpool: ctx?.getShotglassFeatures().threadpool ?? false };
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
 * Makes `target` hold exactly what `source` holds (KV cache and node-llama-cpp's record of its
 * tokens), so a prompt evaluated once serves several runs. The caller guarantees that no decode
 * of this context is in flight (llama.cpp's KV metadata is not thread-safe) and that neither
 * sequence is evaluating, as node-llama-cpp's own loadStateFromFile does under its locks.
 */
export function copySequence(context: LlamaContext, source: LlamaContextSequence, target: LlamaContextSequence): void {
  const ctx = patched(context);
  if (!ctx) throw new Error('sequence copies need Shotglass\'s build of the node-llama-cpp addon');
  const from = source as unknown as SequenceInternals;
  const to = target as unknown as SequenceInternals;
  to._checkpoints?.clearAllCheckpoints();
  to._loadedTokenPredictions.length = 0;
  try {
    ctx.copySequence(from._sequenceId, to._sequenceId);
  } catch (error) {
    // Leave the target empty on both sides, or the next run would trust tokens its cache lacks.
    ctx.disposeSequence(to._sequenceId);
    to._contextTokens = [];
    to._nextTokenIndex = 0;
    throw error;
  }
  to._contextTokens = from._contextTokens.slice(0, from._nextTokenIndex);
  to._nextTokenIndex = to._contextTokens.length;
}
