// Prints the plain closing line CI reads: "N passed, N failed[, N skipped]".
// A file that fails to load, or a suite whose setup throws (vitest then reports its tests as
// skipped), is a failure: it counts once, unless one of its tests already failed.
import type { Reporter, TestModule, TestSuite } from 'vitest/node';

function failedTests(scope: TestModule | TestSuite): number {
  let n = 0;
  for (const test of scope.children.allTests()) if (test.result().state === 'failed') n++;
  return n;
}

/** Suites (the file itself included) with errors of their own, e.g. a throwing beforeAll. */
function brokenScopes(mod: TestModule): number {
  let n = 0;
  const scopes: Array<TestModule | TestSuite> = [mod, ...mod.children.allSuites()];
  for (const scope of scopes) {
    const ownErrors = scope.errors().length > 0 || (scope === mod && mod.state() === 'failed' && failedTests(mod) === 0);
    if (ownErrors && failedTests(scope) === 0) n++;
  }
  return n;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      failed += brokenScopes(mod);
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
