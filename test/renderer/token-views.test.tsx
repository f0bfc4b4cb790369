// What the output views draw, rendered to markup (no browser): special tokens as chips in every
// output (issue 14, defect 5), and the divergence banner showing the same probability, in the
// same words, as the token tooltip for the same token (defect 7).
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenStep } from '../../core/api/contract';
import { firstDivergence, PROBABILITY_MEANING } from '../../core/compare/index';
import { DivergenceBanner } from '../../renderer/src/components/compare/DivergenceBanner';
import { ProbabilityTooltip } from '../../renderer/src/components/output/ProbabilityTooltip';
import { TokenText } from '../../renderer/src/components/output/TokenText';
import { chunksFromSteps } from '../../renderer/src/store/token-steps';

const step = (id: number, text: string, p = 0.5, top: TokenStep['top'] = [], special?: string): TokenStep => ({ id, text, p, top, ...(special ? { special } : {}) });
const unk = () => step(0, '', 0.5, [{ id: 0, text: '<unk>', p: 0.5 }], '<unk>');

/** The chips of a rendered output: [data-s, data-special]. */
const chips = (html: string) => [...html.matchAll(/<span class="tk tk-special[^"]*" data-s="(\d+)" data-special="([^"]*)"/g)].map((m) => [Number(m[1]), m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>')]);
const textOf = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');

describe('special tokens in the output', () => {
  it('an output of eight <unk> shows eight chips, each hoverable (data-s), and no text', () => {
    const html = renderToStaticMarkup(<TokenText text="" steps={chunksFromSteps(Array.from({ length: 8 }, unk))} final testId="output" />);
    expect(chips(html)).toEqual(Array.from({ length: 8 }, (_, i) => [i, '<unk>']));
    expect(textOf(html)).toBe('');
  });

  it('chips sit where the tokens were generated; the text stays the output’s text', () => {
    const steps = [step(5, 'Hi'), unk(), step(6, ' there'), step(7, '', 0.9, [], '</s>')];
    const html = renderToStaticMarkup(<TokenText text="Hi there" steps={chunksFromSteps(steps)} final />);
    expect(chips(html)).toEqual([
      [1, '<unk>'],
      [3, '</s>'],
    ]);
    expect(textOf(html)).toBe('Hi there');
    expect(html.indexOf('data-special="&lt;unk&gt;"')).toBeLessThan(html.indexOf(' there'));
    // while streaming too
    expect(chips(renderToStaticMarkup(<TokenText text="Hi" steps={chunksFromSteps(steps.slice(0, 2))} final={false} />))).toEqual([[1, '<unk>']]);
  });
});

describe('the divergence banner and the tooltip agree', () => {
  beforeAll(() => {
    (globalThis as { window?: unknown }).window = { innerWidth: 1440, innerHeight: 900 };
  });
  afterAll(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  const a = [step(1, ' The'), step(2, ' cat', 0.43, [{ id: 2, text: ' cat', p: 0.43 }, { id: 3, text: ' dog', p: 0.2243 }, { id: 9, text: ' owl', p: 0.1 }])];
  const b = [step(1, ' The'), step(3, ' dog', 0.31, [{ id: 4, text: ' eel', p: 0.5 }, { id: 3, text: ' dog', p: 0.31 }])];

  /** The percentage the tooltip over A's token lists for token `id`. */
  const tooltipP = (id: number) => {
    const html = renderToStaticMarkup(<ProbabilityTooltip hover={{ step: a[1]!, index: 1, x: 0, y: 0 }} />);
    return new RegExp(`data-token="${id}">([^<]+)<`).exec(html)?.[1];
  };

  it('B’s token under A is the number A’s tooltip lists, even when a model score says otherwise', () => {
    const d = firstDivergence(a, b);
    // A score computed another way (e.g. without A's top-p) must not replace what A recorded.
    const html = renderToStaticMarkup(<DivergenceBanner divergence={d} scores={{ bInA: 0.215, aInB: 0.05 }} />);
    const banner = /data-testid="p-b-in-a">([^<]+)</.exec(html)?.[1];
    expect(banner).toBe('22.4%');
    expect(banner).toBe(tooltipP(3));
    // A's token is not in B's recorded list: the score (with B's own settings) fills it in.
    expect(/data-testid="p-a-in-b">([^<]+)</.exec(html)?.[1]).toBe('5.0%');
    // each side's own token: as its tooltip shows it
    expect(/data-testid="p-a">([^<]+)</.exec(html)?.[1]).toBe(/data-testid="token-probability"[^>]*>([^<]+)</.exec(renderToStaticMarkup(<ProbabilityTooltip hover={{ step: a[1]!, index: 1, x: 0, y: 0 }} />))?.[1]);
  });

  it('one wording: the banner’s note is the tooltip’s explanation, with no “1 when greedy”', () => {
    const banner = renderToStaticMarkup(<DivergenceBanner divergence={firstDivergence(a, b)} scores={{ aInB: 0.05 }} />);
    const tooltip = renderToStaticMarkup(<ProbabilityTooltip hover={{ step: a[1]!, index: 1, x: 0, y: 0 }} />);
    const escaped = PROBABILITY_MEANING.replace(/'/g, '&#x27;');
    expect(banner).toContain(escaped);
    expect(tooltip).toContain(escaped);
    expect(banner).not.toMatch(/when greedy/);
  });

  it('a special token is named in the tooltip and the banner', () => {
    const special = [step(1, ' The'), unk()];
    expect(renderToStaticMarkup(<ProbabilityTooltip hover={{ step: special[1]!, index: 1, x: 0, y: 0 }} />)).toContain('&lt;unk&gt;</code>');
    expect(renderToStaticMarkup(<DivergenceBanner divergence={firstDivergence(a, special)} scores={null} />)).toContain('<code class="seg-add">&lt;unk&gt;</code>');
  });
});
