// The layer rules (.dependency-cruiser.cjs) hold for the whole tree, with zero import cycles; and
// the rules really bite: a scratch tree that breaks each of them is caught, rule by rule.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/backend.js';

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

const SOURCE_FOLDERS = ['core', 'node', 'service', 'host', 'apps', 'electron', 'renderer', 'build', 'scripts'];

function cruise(cwd: string, folders: string[]): Violation[] {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), ...folders, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  if (!result.stdout) throw new Error(`dependency-cruiser failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('layer rules', () => {
  it('hold for the whole tree, with no import cycle', () => {
    const violations = cruise(ROOT, SOURCE_FOLDERS);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('catch each kind of violation in a tree made to break them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-layers-'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowImportingTsExtensions: false } }));
    const files: Record<string, string> = {
      'core/fs-user.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
      'core/up.ts': "import { s } from '../service/s.js';\nexport const up = s;\n",
      'core/x.ts': "import { y } from './y.js';\nexport const x = () => y;\n",
      'core/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
      'service/s.ts': "export const s = 1;\n",
      'service/to-app.ts': "import { w } from '../apps/web/w.js';\nexport const t = w;\n",
      'service/to-engine.ts': "import { engine } from '../host/engine.js';\nexport const e = engine;\n",
      'service/shell.ts': "import { app } from 'electron';\nexport const a = app;\n",
      'service/inference/host-client.ts': "export const call = 1;\n",
      'service/runs/runner.ts': "import { call } from '../inference/host-client.js';\nexport const r = call;\n",
      'host/engine.ts': "import { s } from '../service/s.js';\nexport const engine = s;\n",
      'apps/web/w.ts': "import { c } from '../cli/c.js';\nexport const w = c;\n",
      'apps/cli/c.ts': "export const c = 1;\n",
      'renderer/r.ts': "import { s } from '../service/s.js';\nexport const r = s;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const fired = new Set(cruise(dir, ['core', 'service', 'host', 'apps', 'renderer']).map((v) => v.rule.name));
    expect([...fired].sort()).toEqual(
      [
        'core-is-pure',
        'core-without-node',
        'host-uses-core-only',
        'no-cycles',
        'only-the-shell-imports-electron',
        'renderer-uses-core-only',
        'runs-through-providers',
        'service-below-transports',
        'service-reaches-host-through-its-protocol',
        'transports-not-each-other',
      ].sort(),
    );
  });
});
