// A token's probability, computed and worded once for every view that shows it (the token tooltip,
// the first-divergence banner, the CLI): the probability in the distribution the token was drawn
// from, i.e. after the run's temperature, top-k, top-p and min-p. A greedy run (temperature 0)
// draws nothing: llama.cpp then reports the model's own distribution (temperature 1, untruncated).
// Pure: no DOM, no Node.
import type { Sampling, TokenStep } from '../api/contract.js';

/** One wording for what the percentages mean. */
export const PROBABILITY_MEANING =
  'probability in the distribution the token was drawn from (after temperature, top-k, top-p and min-p; a greedy run shows the model’s own distribution)';

/** "42.9%"; "<0.1%" for a probability too small to show; "—" when unknown. */
export function formatProbability(p: number | undefined | null): string {
  if (p === undefined || p === null || !Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.0005) return '<0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

/**
 * How likely `tokenId` was at this step, from what the run recorded: the chosen token's own
 * probability, or one of the recorded alternatives; undefined when it is not among them.
 */
export function probabilityAt(step: TokenStep, tokenId: number): number | undefined {
  if (step.id === tokenId) return step.p;
  return step.top.find((t) => t.id === tokenId)?.p;
}

/** The lowest recorded alternative: a token not in the list was less likely than this. */
export function recordedFloor(step: TokenStep): number | undefined {
  if (step.top.length === 0) return undefined;
  return Math.min(...step.top.map((t) => t.p));
}

/**
 * The settings that make scoreTokens compute the same distribution a run sampled from (for a
 * token the run did not record among its alternatives). Penalties and token bias depend on the
 * run's history and are not replayed: with them set the score is the distribution before them.
 */
export function samplerDistribution(sampling: Pick<Sampling, 'temperature' | 'topK' | 'topP' | 'minP'>): { temperature: number; topK: number; topP: number; minP: number } {
  if (sampling.temperature <= 0) return { temperature: 1, topK: 0, topP: 1, minP: 0 };
  return { temperature: sampling.temperature, topK: sampling.topK, topP: sampling.topP, minP: sampling.minP };
}
