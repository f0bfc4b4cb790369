// `shotglass --help` and `shotglass <command> --help` print usage and exit 0, as users expect
// of any command line tool; no arguments at all is a usage error (exit 2).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/backend.js';

function shotglass(...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'shotglass.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 });
}

const COMMANDS = ['complete', 'chat', 'render', 'run', 'compare', 'inspect', 'tokenize'];

describe('shotglass --help', () => {
  it('prints every command and exits 0', () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = shotglass(flag);
      expect(r.status).toBe(0);
      for (const command of COMMANDS) expect(r.stdout).toContain(`shotglass ${command} `);
    }
  });

  it.each(COMMANDS)('`shotglass %s --help` prints that command and exits 0', (command) => {
    const r = shotglass(command, '--help');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^usage:\\n  shotglass ${command} `));
    for (const other of COMMANDS.filter((c) => c !== command)) expect(r.stdout).not.toContain(`shotglass ${other} `);
  });

  it('names the flag groups a command takes', () => {
    expect(shotglass('complete', '--help').stdout).toContain('--temperature T');
    expect(shotglass('inspect', '--help').stdout).not.toContain('--temperature');
  });

  it('answers an unknown command with a usage error, and no command with the usage (exit 2)', () => {
    const unknown = shotglass('frobnicate', '--help');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const none = shotglass();
    expect(none.status).toBe(2);
    expect(none.stdout).toContain('usage:');
  });
});
