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
        chunk.start <= text.length ? <ChunkView key={chunk.first} chunk={chunk} limit={Math.min(chunk.length, text.length - chunk.start)} /> : null,
      )}
      {covered < text.length ? text.slice(covered) : null}
    </span>
  );
}

const ChunkView = memo(function ChunkView({ chunk, limit }: { chunk: StepChunk; limit: number }) {
  const out: ReactElement[] = [];
  let at = 0;
  chunk.steps.forEach((step: TokenStep, i) => {
    if (at < limit && step.text !== '') {
      out.push(
        <span key={i} className={`tk ${probabilityClass(step.p)}`} data-s={chunk.first + i}>
          {step.text.slice(0, limit - at)}
        </span>,
      );
    }
    at += step.text.length;
    // A special token (<unk>, </s>…) has no text in the output: a chip names it, after any text
    // its step carries (a chunk's text goes to its last token). The name is drawn by CSS from
    // data-special, so copying the output copies the output's text only.
    if (step.special !== undefined && at <= limit) {
      out.push(
        <span key={`s${i}`} className={`tk tk-special ${probabilityClass(step.p)}`} data-s={chunk.first + i} data-special={step.special} role="img" aria-label={`special token ${step.special}`} />,
      );
    }
  });
  return <>{out}</>;
});
