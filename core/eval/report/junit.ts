// JUnit XML for CI: one <testsuite> per variant, one <testcase> per variant × test case, a
// <failure> for each that fails. With repeats a case fails when any repeat fails (CI wants the
// strict reading; the message says how many). Written by hand: the format is five elements, and
// escaping is the only subtle part (done below), not worth a dependency.
import { cellPassed, type EvalCell, type EvalResults } from '../results.js';
import { failedChecks } from './tables.js';

/** Escape for XML text and attributes; characters XML 1.0 cannot hold at all are dropped. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function resultsToJunit(results: EvalResults): string {
  // runs grouped once by variant and case: filtering all cells per testcase is quadratic (29 s for 10,000 × 4)
  const runsOf = new Map<string, EvalCell[]>();
  for (const c of results.cells) {
    const key = `${c.variantId}\u0000${c.caseIndex}`;
    const list = runsOf.get(key);
    if (list) list.push(c);
    else runsOf.set(key, [c]);
  }
  const suites: string[] = [];
  let allTests = 0;
  let allFailures = 0;
  for (const v of results.variants) {
    const cases: string[] = [];
    let failures = 0;
    let seconds = 0;
    results.cases.forEach((tc, i) => {
      const runs = runsOf.get(`${v.id}\u0000${i}`) ?? [];
      const time = runs.reduce((s, c) => s + (c.latencyMs ?? 0), 0) / 1000;
      seconds += time;
      const name = xmlEscape(`case ${i + 1}${tc.description ? `: ${tc.description}` : ''}`);
      const failed = runs.filter((c) => !cellPassed(c));
      const open = `    <testcase classname="${xmlEscape(v.label)}" name="${name}" time="${time.toFixed(3)}"`;
      if (runs.length > 0 && failed.length === 0) {
        cases.push(`${open}/>`);
        return;
      }
      failures++;
      const first = failed[0];
      const message = runs.length === 0 ? 'not run' : `${failed.length} of ${runs.length} run${runs.length === 1 ? '' : 's'} failed: ${first ? failedChecks(first) || first.grade?.reason || '' : ''}`;
      const detail = failed.map((c) => `repeat ${c.repeat + 1}: ${failedChecks(c) || c.grade?.reason || ''}\nanswer: ${c.answer ?? '(none)'}`).join('\n\n');
      cases.push(`${open}>\n      <failure message="${xmlEscape(message)}">${xmlEscape(detail)}</failure>\n    </testcase>`);
    });
    allTests += results.cases.length;
    allFailures += failures;
    suites.push(`  <testsuite name="${xmlEscape(v.label)}" tests="${results.cases.length}" failures="${failures}" errors="0" time="${seconds.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(results.name)}" tests="${allTests}" failures="${allFailures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
