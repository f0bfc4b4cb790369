// The Electron checklist items that live in configuration: a supported, pinned Electron major,
// and the fuses flipped at package time (GrantFileProtocolExtraPrivileges off: the renderer is
// served over app://). The runtime items are tested in test/electron with Electron mocked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/backend.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };

describe('Electron configuration', () => {
  it('pins a supported Electron major (45, the newest line in December 2026)', () => {
    // optional: npm installs everything else where Electron's binary cannot be downloaded (README)
    const version = pkg.optionalDependencies.electron!;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/); // pinned: no ^ or ~
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(43); // the three newest lines: 43, 44, 45
  });

  it('flips the fuses: no file:// extra privileges, no RunAsNode, no NODE_OPTIONS, no inspector, asar only and verified', async () => {
    const config = ((await import('../../forge.config.js')) as { default: { plugins: Array<{ name: string; fusesConfig?: Record<number, boolean> }> } }).default;
    const fuses = config.plugins.find((p) => p.name === 'fuses')?.fusesConfig;
    expect(fuses).toBeDefined();
    expect(fuses![FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(fuses![FuseV1Options.RunAsNode]).toBe(false);
    expect(fuses![FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(fuses![FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(fuses![FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(fuses![FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuses![FuseV1Options.EnableCookieEncryption]).toBe(true);
  });
});
