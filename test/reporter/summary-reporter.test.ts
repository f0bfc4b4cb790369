// The closing line must tell the truth: files that cannot load and suites whose setup throws
// are failures, not zero-test files or skips (a real vitest run over test/fixtures/reporter/).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/backend.js';

function runFixtures(...filters: string[]): { status: number | null; lastLine: string } {
  const dir = join(ROOT, 'test', 'fixtures', 'reporter');
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.config.mts', ...filters], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    timeout: 120_000,
  });
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, lastLine: lines[lines.length - 1]!.trim() };
}

describe('summary reporter', () => {
  it('counts a file that fails to load and a suite whose setup throws as failures', () => {
    const { status, lastLine } = runFixtures();
    expect(lastLine).toBe('2 passed, 2 failed, 2 skipped');
    expect(status).not.toBe(0);
  });

  it('says 0 failed, and exits 0, when everything passes', () => {
    const { status, lastLine } = runFixtures('passes');
    expect(lastLine).toBe('2 passed, 0 failed');
    expect(status).toBe(0);
  });
});
