// The one atomic writer's temp files: what a crash leaves is recognised and removed, in a library
// folder and in the data folder alike, and nothing else is (a user's own files stay).
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTempFile, removeStaleTemps, writeFileAtomic } from '../../../service/fs/atomic.js';

describe('atomic writer temp files', () => {
  it('recognises its own temp files for templates and data files, and nothing else', () => {
    for (const name of ['.grammar.yaml.0123456789ab.sgtmp', '.settings.json.a1b2c3d4e5f6.sgtmp', '.k.draft.json.000000000000.sgtmp']) {
      expect(isTempFile(name), name).toBe(true);
    }
    for (const name of ['.build.sgtmp', 'settings.json', '.settings.json.tmp', '.notes.txt.0123456789ab.sgtmp', '.x.json.0123.sgtmp']) {
      expect(isTempFile(name), name).toBe(false);
    }
  });

  it("removes what a crash left, keeps the user's files, and a write leaves no temp behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-atomic-'));
    const stale = ['.settings.json.0123456789ab.sgtmp', '.presets.json.ba9876543210.sgtmp'];
    const users = ['.build.sgtmp', 'notes.json'];
    for (const name of [...stale, ...users]) writeFileSync(join(dir, name), 'x');
    expect(await removeStaleTemps(dir)).toBe(2);
    for (const name of stale) expect(existsSync(join(dir, name))).toBe(false);
    for (const name of users) expect(existsSync(join(dir, name))).toBe(true);
    await writeFileAtomic(join(dir, 'settings.json'), '{}', { mode: 0o600 });
    expect(readdirSync(dir).sort()).toEqual(['.build.sgtmp', 'notes.json', 'settings.json']);
  });
});
