// Hovering a generated token shows its probability and the most likely alternatives at that step.
// One listener on the output (event delegation), not one per token.
import { useEffect, useState, type RefObject } from 'react';
import type { TokenStep } from '../../../../core/api/contract';
import { formatProbability, PROBABILITY_MEANING } from '../../../../core/compare/probability';
import { stepAt, type StepChunks } from '../../store/token-steps';

/** A token's text with its spaces and escapes visible (a leading space is part of many tokens). */
export const visibleToken = (text: string) => (text === '' ? '∅' : JSON.stringify(text).slice(1, -1).replace(/ /g, '·'));
/** What a step shows as its token: a special token's name, or its text made visible. */
export const stepToken = (step: Pick<TokenStep, 'text' | 'special'>) => step.special ?? visibleToken(step.text);

export function useTokenHover(container: RefObject<HTMLElement | null>, steps: () => StepChunks) {
  const [hover, setHover] = useState<{ step: TokenStep; index: number; x: number; y: number } | null>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const onOver = (e: MouseEvent) => {
      const target = (e.target as HTMLElement).closest<HTMLElement>('[data-s]');
      if (!target || !element.contains(target)) return setHover(null);
      const index = Number(target.dataset.s);
      const step = stepAt(steps(), index);
      if (!step) return setHover(null);
      const rect = target.getBoundingClientRect();
      setHover({ step, index, x: rect.left, y: rect.bottom });
    };
    const onLeave = () => setHover(null);
    element.addEventListener('mouseover', onOver);
    element.addEventListener('mouseleave', onLeave);
    element.addEventListener('scroll', onLeave);
    return () => {
      element.removeEventListener('mouseover', onOver);
      element.removeEventListener('mouseleave', onLeave);
      element.removeEventListener('scroll', onLeave);
    };
  }, [container, steps]);
  return hover;
}

export function ProbabilityTooltip({ hover }: { hover: { step: TokenStep; index: number; x: number; y: number } | null }) {
  if (!hover) return null;
  const { step, index } = hover;
  const left = Math.min(hover.x, window.innerWidth - 260);
  const top = hover.y + 6 > window.innerHeight - 180 ? hover.y - 190 : hover.y + 6;
  return (
    <div className="token-tooltip" data-testid="token-tooltip" style={{ left, top }} role="tooltip">
      <div className="tt-head">
        <code className={`tt-token${step.special !== undefined ? ' tt-special' : ''}`}>{stepToken(step)}</code>
        <span className="tt-p" data-testid="token-probability" title={PROBABILITY_MEANING}>
          {formatProbability(step.p)}
        </span>
      </div>
      <div className="tt-meta">
        token #{index + 1} · id {step.id}
        {step.special !== undefined ? ' · special token' : ''}
      </div>
      {step.top.length ? (
        <ol className="tt-alternatives">
          {step.top.map((alt) => (
            <li key={alt.id} className={alt.id === step.id ? 'chosen' : undefined}>
              <code>{visibleToken(alt.text)}</code>
              <span className="tt-bar">
                <span style={{ width: `${Math.max(1, alt.p * 100)}%` }} />
              </span>
              <span className="tt-alt-p" data-token={alt.id}>
                {formatProbability(alt.p)}
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <div className="tt-meta">no alternatives recorded (top probabilities: 0)</div>
      )}
    </div>
  );
}
