// Ways to show a prompt: the exact text with special tokens marked, token by token, and by the
// template part each piece comes from.
import { Fragment, memo, useMemo } from 'react';
import type { RenderedPrompt } from '../../../../core/api/contract';
import type { AssembledPrompt, PromptSpan, SpanKind } from '../../../../core/prompt/index';

type Tokens = RenderedPrompt['tokens'];

/** Tokens shown one by one at most (beyond that the list would cost more than it tells). */
const MAX_TOKEN_SPANS = 4000;

export const ExactText = memo(function ExactText({ tokens }: { tokens: Tokens }) {
  const segments = useMemo(() => {
    const out: { text: string; special: boolean }[] = [];
    let plain = '';
    for (const t of tokens) {
      if (t.special) {
        if (plain) out.push({ text: plain, special: false });
        plain = '';
        out.push({ text: t.text, special: true });
      } else plain += t.text;
    }
    if (plain) out.push({ text: plain, special: false });
    return out;
  }, [tokens]);
  return (
    <pre className="preview-text" data-testid="preview-text">
      {segments.map((s, i) =>
        s.special ? (
          <span key={i} className="special-token" title="special token">
            {s.text || '∅'}
          </span>
        ) : (
          <Fragment key={i}>{s.text}</Fragment>
        ),
      )}
    </pre>
  );
});

export const TokenList = memo(function TokenList({ tokens }: { tokens: Tokens }) {
  const shown = tokens.length > MAX_TOKEN_SPANS ? tokens.slice(0, MAX_TOKEN_SPANS) : tokens;
  return (
    <pre className="preview-text token-list" data-testid="preview-tokens">
      {shown.map((t, i) => (
        <span key={i} className={`tok${i % 2 ? ' odd' : ''}${t.special ? ' special-token' : ''}`} title={`#${i} · id ${t.id}${t.special ? ' · special' : ''}`}>
          {visible(t.text)}
        </span>
      ))}
      {tokens.length > shown.length ? <span className="tok-more">… {tokens.length - shown.length} more tokens</span> : null}
    </pre>
  );
});

/** Spaces and line breaks made visible inside token boxes. */
function visible(text: string): string {
  if (text === '') return '∅';
  return text.replace(/ /g, '·').replace(/\n/g, '↵\n').replace(/\t/g, '→');
}

const KIND_WORDS: Record<SpanKind, string> = {
  system: 'system',
  instruction: 'instruction',
  example: 'example',
  trigger: 'step-by-step trigger',
  input: 'input',
};

interface Piece {
  text: string;
  span: PromptSpan | null;
}

/** Cut text into pieces, each marked with the innermost span covering it (later spans nest in earlier ones). */
function piecesOf(text: string, spans: readonly PromptSpan[]): Piece[] {
  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const sorted = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const out: Piece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    let span: PromptSpan | null = null;
    for (const s of spans) if (s.start <= start && s.end >= end) span = s;
    out.push({ text: text.slice(start, end), span });
  }
  return out;
}

function Pieces({ pieces, plain }: { pieces: Piece[]; plain?: boolean }) {
  return (
    <>
      {pieces.map((p, i) =>
        p.span && !plain ? (
          <span
            key={i}
            className={`part part-${p.span.kind}${p.span.exampleIndex !== undefined && p.span.exampleIndex % 2 ? ' part-alt' : ''}`}
            title={p.span.exampleIndex !== undefined ? `example ${p.span.exampleIndex + 1}` : KIND_WORDS[p.span.kind]}
          >
            {p.text}
          </span>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}

/** The assembled prompt by part (or, with `plain`, just its text: the fallback before exact tokens). */
export const PartsView = memo(function PartsView({ assembled, plain }: { assembled: AssembledPrompt; plain?: boolean }) {
  const legend = plain ? null : (
    <div className="parts-legend">
      {(['system', 'instruction', 'example', 'trigger', 'input'] as const).map((k) => (
        <span key={k} className={`part part-${k}`}>
          {KIND_WORDS[k]}
        </span>
      ))}
    </div>
  );
  if (assembled.mode === 'completion') {
    return (
      <div data-testid={plain ? 'preview-assembled' : 'preview-parts'}>
        {legend}
        <pre className="preview-text">
          <Pieces pieces={piecesOf(assembled.text, assembled.spans)} plain={plain} />
        </pre>
      </div>
    );
  }
  return (
    <div className="chat-preview" data-testid={plain ? 'preview-assembled' : 'preview-parts'}>
      {legend}
      {assembled.messages.map((m, i) => (
        <div key={i} className={`chat-message chat-${m.role}`}>
          <div className="chat-role">{m.role}</div>
          <pre className="preview-text">
            <Pieces pieces={piecesOf(m.content, assembled.spans.filter((s) => s.message === i))} plain={plain} />
          </pre>
        </div>
      ))}
    </div>
  );
});
