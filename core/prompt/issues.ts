// zod issues in words, naming the field path, in the contract's style:
// "sampling.temperature must be at most 2", "examples.2.output must be text".
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** One issue as a sentence; `subject` names the whole value when the path is empty. */
export function formatIssue(issue: Issue, subject: string, prefix: readonly (string | number)[] = []): string {
  const path = [...prefix, ...issue.path].map(String).join('.');
  const where = path || subject;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`);
    return keys.length === 1 ? `${where} has an unknown field ${keys[0]}` : `${where} has unknown fields ${keys.join(', ')}`;
  }
  return `${where} ${issue.message}`;
}

/** Up to `max` issues joined, with a count of the rest. */
export function formatIssues(issues: readonly Issue[], subject: string, prefix: readonly (string | number)[] = [], max = 3): string {
  const shown = issues.slice(0, max).map((issue) => formatIssue(issue, subject, prefix));
  const rest = issues.length - shown.length;
  return shown.join('; ') + (rest > 0 ? ` (and ${rest} more problem${rest === 1 ? '' : 's'})` : '');
}
