// Self-consistency: the answer extracted from each sample, the majority answer and how many agree.
import { extractAnswer, type ExtractionRule } from '../prompt/extract.js';

export interface Agreement {
  answers: Array<string | null>;
  /** each distinct answer with its count, most frequent first (ties: first seen first) */
  counts: Array<{ answer: string; count: number }>;
  majority: string | null;
  /** share of all samples that gave the majority answer (0 when none could be extracted) */
  agreement: number;
}

/** Answers are compared trimmed and case-insensitively; the majority keeps its first spelling. */
export function selfConsistency(outputs: readonly string[], rule: ExtractionRule): Agreement {
  const answers = outputs.map((text) => extractAnswer(text, rule));
  const groups = new Map<string, { answer: string; count: number }>();
  for (const answer of answers) {
    if (answer === null) continue;
    const key = answer.trim().toLowerCase();
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { answer: answer.trim(), count: 1 });
  }
  const counts = [...groups.values()].sort((x, y) => y.count - x.count);
  const top = counts[0];
  return { answers, counts, majority: top?.answer ?? null, agreement: top && outputs.length ? top.count / outputs.length : 0 };
}

/** Identical outputs grouped, with counts, most frequent first. */
export function groupIdentical(outputs: readonly string[]): Array<{ text: string; count: number; indexes: number[] }> {
  const groups = new Map<string, { text: string; count: number; indexes: number[] }>();
  outputs.forEach((text, i) => {
    const group = groups.get(text);
    if (group) {
      group.count++;
      group.indexes.push(i);
    } else groups.set(text, { text, count: 1, indexes: [i] });
  });
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
