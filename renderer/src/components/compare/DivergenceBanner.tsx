// The first divergence of two outputs in words: each side's token and how likely it was, and how
// likely it was under the other variant. Every figure is the one the token tooltip shows for the
// same token (probabilityAt / formatProbability, one wording): from what the runs recorded, and
// only for a token the other run did not record among its alternatives, scored by the model with
// that run's own sampler settings (samplerDistribution), i.e. the distribution the tooltip would
// have listed it in. Presentational: the scores come in as props.
import type { Divergence } from '../../../../core/compare/divergence';
import { formatProbability, PROBABILITY_MEANING } from '../../../../core/compare/probability';
import { stepToken } from '../output/ProbabilityTooltip';

export interface CrossScores {
  /** B's token under A, A's token under B (scored; only used where the run did not record it) */
  bInA?: number;
  aInB?: number;
  error?: string;
}

const tokenOf = (step: Divergence['a']) => (step ? stepToken(step) : '(end)');

export function DivergenceBanner({ divergence, scores }: { divergence: Divergence | null; scores: CrossScores | null }) {
  if (!divergence) return <div className="cmp-divergence" data-testid="diff-divergence">The two outputs are identical.</div>;
  const { a, b } = divergence;
  const cross = (recorded: number | undefined, scored: number | undefined) =>
    recorded !== undefined ? formatProbability(recorded) : scores ? (scores.error ? '?' : formatProbability(scored)) : '…';
  return (
    <div className="cmp-divergence" data-testid="diff-divergence" data-index={divergence.index}>
      <span className="cmp-div-title">First divergence at token #{divergence.index + 1}:</span>{' '}
      A wrote <code className="seg-remove">{tokenOf(a)}</code> (<span data-testid="p-a">{formatProbability(a?.p)}</span>), B wrote{' '}
      <code className="seg-add">{tokenOf(b)}</code> (<span data-testid="p-b">{formatProbability(b?.p)}</span>).
      {a && b ? (
        <span className="cmp-div-scores" data-testid="divergence-scores">
          {' '}
          Under A, B’s token had <b data-testid="p-b-in-a">{cross(divergence.pBinA, scores?.bInA)}</b>; under B, A’s token had{' '}
          <b data-testid="p-a-in-b">{cross(divergence.pAinB, scores?.aInB)}</b>
          {scores?.error ? <span className="metric-error"> ({scores.error})</span> : <span className="cmp-hint"> ({PROBABILITY_MEANING})</span>}
        </span>
      ) : null}
    </div>
  );
}
