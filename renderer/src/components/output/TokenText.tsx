// Generated text as one span per token, so hovering a token can show how likely it was. Steps come
// in fixed chunks and each chunk is a memoized component: while streaming, only the last chunk
// re-renders per frame, never the whole output.
import { memo, useMemo, type ReactElement } from 'react';
import type { TokenStep } from '../../../../core/api/contract';
import { stepsMatchText, stepsTextLength, type StepChunk, type StepChunks } from '../../store/token-steps';

export function probabilityClass(p: number): string {
  if (!Number.isFinite(p)) return '';
  return p >= 0.9 ? 'p4' : p >= 0.6 ? 'p3' : p >= 0.35 ? 'p2' : p >= 0.15 ? 'p1' : 'p0';
}

interface Props {
  text: string;
  steps: StepChunks;
  /** while streaming the steps are trusted to spell the text; at the end it is checked once */
  final: boolean;
  testId?: string;
}

export function TokenText({ text, steps, final, testId }: Props) {
  // A stop string trims the text after streaming; anything else that disagrees shows as plain text.
  const matches = useMemo(() => !final || stepsMatchText(steps, text), [final, steps, text]);
  if (!matches || steps.length === 0) {
    return (
      <span data-testid={testId} className="generated">
        {text}
      </span>
    );
  }
  const covered = Math.min(stepsTextLength(steps), text.length);
  return (
    <span data-testid={testId} className="generated">
      {steps.map((chunk) =>
        chunk.start < text.length ? <ChunkView key={chunk.first} chunk={chunk} limit={Math.min(chunk.length, text.length - chunk.start)} /> : null,
      )}
      {covered < text.length ? text.slice(covered) : null}
    </span>
  );
}

const ChunkView = memo(function ChunkView({ chunk, limit }: { chunk: StepChunk; limit: number }) {
  const out: ReactElement[] = [];
  let at = 0;
  chunk.steps.forEach((step: TokenStep, i) => {
    if (at >= limit || step.text === '') {
      at += step.text.length;
      return;
    }
    const shown = step.text.slice(0, limit - at);
    at += step.text.length;
    out.push(
      <span key={i} className={`tk ${probabilityClass(step.p)}`} data-s={chunk.first + i}>
        {shown}
      </span>,
    );
  });
  return <>{out}</>;
});
