// `npm run build:models`: writes the bundled demo model and the test fixtures from scratch.
//   --demo-only / --fixtures-only   limit what is written
//   --fixtures-dir DIR              where fixtures go (default test/fixtures/models)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoGguf, FIXTURES } from './fixtures.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_MODEL_PATH = join(root, 'resources', 'models', 'shotglass-demo.gguf');
export const FIXTURES_DIR = join(root, 'test', 'fixtures', 'models');

export function writeDemoModel(path = DEMO_MODEL_PATH): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, demoGguf());
  return path;
}

export function writeFixtures(dir = FIXTURES_DIR): string[] {
  mkdirSync(dir, { recursive: true });
  return FIXTURES.map((f) => {
    const path = join(dir, f.file);
    writeFileSync(path, f.bytes());
    return path;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dirAt = args.indexOf('--fixtures-dir');
  const dir = dirAt >= 0 ? resolve(args[dirAt + 1] ?? '') : FIXTURES_DIR;
  if (!args.includes('--fixtures-only')) console.log(`demo model: ${writeDemoModel()}`);
  if (!args.includes('--demo-only')) console.log(`fixtures: ${writeFixtures(dir).length} files in ${dir}`);
}
