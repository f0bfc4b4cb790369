// What the field editors cannot mark in place: diagnostics about examples, variables and the
// answer rule, and the assembler's warnings (each said once).
import { useAppStore } from '../../store';
import type { Diagnostic } from '../../../../core/prompt/index';

/** Fields that have their own Monaco editor (their diagnostics are markers there). */
const IN_EDITORS = new Set(['system', 'instruction', 'exampleFormat', 'input', 'chainOfThought.trigger', 'chainOfThought.answerFormat']);

interface Line {
  severity: Diagnostic['severity'];
  message: string;
}

/** Lint diagnostics and assembly warnings, without saying the same thing twice. */
export function problemLines(diagnostics: readonly Diagnostic[], warnings: readonly string[]): Line[] {
  const noReasoning = warnings.some((w) => w.includes('no reasoning'));
  const lines: Line[] = diagnostics
    .filter((d) => !IN_EDITORS.has(d.field))
    // "example 3 has no reasoning", one per example: the assembler says it once for all of them.
    .filter((d) => !(noReasoning && d.severity === 'info' && /^examples\.\d+$/.test(d.field)))
    .map((d) => ({ severity: d.severity, message: d.message }));
  const lintedExamples = diagnostics.some((d) => d.field === 'examples');
  for (const w of warnings) {
    if (lintedExamples && w.includes('no example is enabled')) continue;
    if (diagnostics.some((d) => d.message === w)) continue;
    lines.push({ severity: w.includes('no reasoning') ? 'info' : 'warning', message: w });
  }
  return lines;
}

export function Problems() {
  const diagnostics = useAppStore((s) => s.preview.diagnostics);
  const warnings = useAppStore((s) => s.preview.warnings);
  const lines = problemLines(diagnostics, warnings);
  if (lines.length === 0) return null;
  return (
    <ul className="problems" data-testid="problems" aria-label="Problems">
      {lines.map((line, i) => (
        <li key={i} className={`problem problem-${line.severity}`}>
          <span className="problem-icon" aria-hidden>
            {line.severity === 'error' ? '✕' : line.severity === 'warning' ? '!' : 'i'}
          </span>
          {capitalize(line.message)}
        </li>
      ))}
    </ul>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
