// Exports keep the verdict (issue 14, defect 8) and mark special tokens (defect 5); one probability
// computation for the divergence and the token tooltip (defect 7). Pure functions, no model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Comparison, TokenStep } from '../../../core/api/contract.js';
import {
  comparisonToCsv,
  comparisonToJson,
  comparisonToMarkdown,
  firstDivergence,
  formatProbability,
  markSpecial,
  outputWithSpecialTokens,
  probabilityAt,
  samplerDistribution,
} from '../../../core/compare/index.js';
import { fakeResult } from '../../helpers/results.js';

const step = (id: number, text: string, p = 0.5, top: TokenStep['top'] = [], special?: string): TokenStep => ({ id, text, p, top, ...(special ? { special } : {}) });
const unk = (p = 0.5) => step(0, '', p, [{ id: 0, text: '<unk>', p }], '<unk>');

/** Parse CSV rows (RFC 4180 quoting) into objects keyed by the header. */
function csvRows(csv: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]!;
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && csv[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

function comparison(verdict: Comparison['verdict'], runs?: Comparison['runs']): Comparison {
  const sampling = fakeResult().record.sampling;
  return {
    id: 'c1',
    createdAt: 0,
    name: 'Sweep',
    seed: 7,
    spec: {
      name: 'Sweep',
      repeats: 2,
      topProbabilities: 5,
      variants: [
        { id: 'a', label: 'cold', modelId: 'm', input: { mode: 'completion', text: 'Q: hi\nA:' }, sampling: { ...sampling, temperature: 0.2 } },
        { id: 'b', label: 'hot', modelId: 'm', input: { mode: 'completion', text: 'Q: hi\nA:' }, sampling: { ...sampling, temperature: 1.2 } },
      ],
    },
    runs: runs ?? [
      { runId: 'r1', variantId: 'a', repeat: 0, seed: 7, result: fakeResult({ text: ' Yes', steps: [step(1, ' Yes')] }) },
      { runId: 'r2', variantId: 'b', repeat: 0, seed: 7, result: fakeResult({ text: ' No', steps: [step(2, ' No')] }) },
      { runId: 'r3', variantId: 'a', repeat: 1, seed: 8, result: fakeResult({ text: ' Yes', steps: [step(1, ' Yes')] }) },
      { runId: 'r4', variantId: 'b', repeat: 1, seed: 8, result: fakeResult({ text: ' Maybe', steps: [step(3, ' Maybe')] }) },
    ],
    verdict,
  };
}

describe('exports keep the verdict', () => {
  it('CSV fills winner from each repeat’s pick, overall_winner from the overall one, and carries the notes', () => {
    const rows = csvRows(comparisonToCsv(comparison({ ratings: {}, winners: { '0': 'b', '1': 'a' }, notes: 'b reads better, "mostly"' })));
    expect(rows.map((r) => [r.variant, r.repeat, r.winner])).toEqual([
      ['a', '1', ''],
      ['b', '1', 'yes'],
      ['a', '2', 'yes'],
      ['b', '2', ''],
    ]);
    expect(rows.every((r) => r.overall_winner === '')).toBe(true);
    expect(rows[0]!.notes).toBe('b reads better, "mostly"');

    const overall = csvRows(comparisonToCsv(comparison({ ratings: {}, winners: {}, winner: 'b', notes: '' })));
    expect(overall.map((r) => r.overall_winner)).toEqual(['', 'yes', '', 'yes']);
  });

  it('Markdown names the overall winner, each repeat’s winner, marks the winning runs and keeps the notes', () => {
    const md = comparisonToMarkdown(comparison({ ratings: {}, winners: { '0': 'b', '1': 'a' }, winner: 'b', notes: 'Hot wins on tone.' }));
    expect(md).toContain('**Winner: hot**');
    expect(md).toContain('Winners by repeat: #1 hot, #2 cold.');
    const table = md.split('\n').filter((l) => l.startsWith('| '));
    expect(table[0]).toMatch(/\| winner \|$/);
    expect(table.filter((l) => l.endsWith('| 🏆 |')).map((l) => l.split(' | ')[0])).toEqual(['| hot #1', '| cold #2']);
    expect(md).toMatch(/## Notes\n\nHot wins on tone\.\n/);

    const none = comparisonToMarkdown(comparison({ ratings: {}, winners: {}, notes: '' }));
    expect(none).toContain('No winner picked.');
    expect(none).toContain('## Notes\n\n_No notes._');
  });

  it('JSON still round-trips with the verdict and special tokens', () => {
    const c = comparison({ ratings: { r1: { thumb: 1 } }, winners: { '0': 'a' }, winner: 'a', notes: 'n' }, [
      { runId: 'r1', variantId: 'a', repeat: 0, seed: 7, result: fakeResult({ text: '', steps: [unk()] }) },
    ]);
    expect(JSON.parse(comparisonToJson(c))).toEqual(c);
  });
});

describe('special tokens', () => {
  it('an output of only special tokens is marked, not empty, in Markdown and CSV', () => {
    const steps = Array.from({ length: 8 }, () => unk());
    const c = comparison({ ratings: {}, winners: {}, notes: '' }, [
      { runId: 'r1', variantId: 'a', repeat: 0, seed: 7, result: fakeResult({ text: '', steps }) },
      { runId: 'r2', variantId: 'b', repeat: 0, seed: 7, result: fakeResult({ text: ' No', steps: [step(2, ' No')] }) },
    ]);
    const eight = markSpecial('<unk>').repeat(8);
    expect(comparisonToMarkdown(c)).toContain('```text\n' + eight + '\n```');
    expect(comparisonToMarkdown(c)).toContain('written ⟦like this⟧');
    expect(csvRows(comparisonToCsv(c)).map((r) => r.output)).toEqual([eight, ' No']);
  });

  it('marks each special token where it was generated and leaves the text as it was', () => {
    const steps = [step(5, 'Hi'), unk(), step(6, ' there'), step(7, '', 0.5, [], '</s>')];
    expect(outputWithSpecialTokens('Hi there', steps)).toBe('Hi⟦<unk>⟧ there⟦</s>⟧');
    // a stop string cut the text: what comes after the cut is not shown
    expect(outputWithSpecialTokens('Hi', [step(5, 'Hi'), step(6, ' there'), unk()])).toBe('Hi');
    expect(outputWithSpecialTokens('Hi there', [step(5, 'Hi'), step(6, ' there')])).toBe('Hi there');
  });

  it('removing the marks gives the output back (property)', () => {
    const arbStep = fc.oneof(
      fc.string({ maxLength: 4 }).filter((t) => !/[⟦⟧]/.test(t)).map((t) => step(1, t)),
      fc.constantFrom('<unk>', '</s>', '<|im_end|>').map((name) => step(0, '', 0.5, [], name)),
    );
    fc.assert(
      fc.property(fc.array(arbStep, { maxLength: 30 }), (steps) => {
        const text = steps.map((s) => s.text).join('');
        const marked = outputWithSpecialTokens(text, steps);
        expect(marked.replace(/⟦[^⟧]*⟧/g, '')).toBe(text);
        expect((marked.match(/⟦/g) ?? []).length).toBe(steps.filter((s) => s.special).length);
      }),
    );
  });
});

describe('one probability for the banner and the tooltip', () => {
  it('the divergence’s cross probabilities are the recorded ones the tooltip lists, worded alike', () => {
    const a = [step(1, ' The'), step(2, ' cat', 0.43, [{ id: 2, text: ' cat', p: 0.43 }, { id: 3, text: ' dog', p: 0.224 }])];
    const b = [step(1, ' The'), step(3, ' dog', 0.31, [{ id: 4, text: ' owl', p: 0.5 }, { id: 3, text: ' dog', p: 0.31 }, { id: 2, text: ' cat', p: 0.215 }])];
    const d = firstDivergence(a, b)!;
    expect(d.pBinA).toBe(probabilityAt(a[1]!, 3));
    expect(d.pAinB).toBe(probabilityAt(b[1]!, 2));
    expect(formatProbability(d.pBinA)).toBe('22.4%');
    expect(formatProbability(d.pAinB)).toBe('21.5%');
    expect(probabilityAt(a[1]!, 2)).toBe(0.43);
    expect(probabilityAt(a[1]!, 99)).toBeUndefined();
    expect([formatProbability(undefined), formatProbability(0.0001), formatProbability(0), formatProbability(1)]).toEqual(['—', '<0.1%', '0.0%', '100.0%']);
  });

  it('scores an unrecorded token with the run’s own sampler (greedy: the model’s own distribution)', () => {
    expect(samplerDistribution({ temperature: 0.7, topK: 40, topP: 0.95, minP: 0.05 })).toEqual({ temperature: 0.7, topK: 40, topP: 0.95, minP: 0.05 });
    expect(samplerDistribution({ temperature: 0, topK: 40, topP: 0.95, minP: 0.05 })).toEqual({ temperature: 1, topK: 0, topP: 1, minP: 0 });
  });
});
