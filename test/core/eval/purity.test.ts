// core/eval is pure: no Node, no DOM, no Electron, through every file it imports (the renderer
// and the service both load it). Follows the relative import graph from the index.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function walk(file: string, seen: Map<string, string[]>): void {
  if (seen.has(file)) return;
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  seen.set(file, specs);
  for (const s of specs) if (s.startsWith('.')) walk(resolve(dirname(file), s.replace(/\.js$/, '.ts')), seen);
}

test('core/eval and everything it imports use no Node built-in, no Electron and no DOM global', () => {
  const seen = new Map<string, string[]>();
  walk(resolve(ROOT, 'core/eval/index.ts'), seen);
  expect(seen.size).toBeGreaterThan(30);
  const problems: string[] = [];
  for (const [file, specs] of seen) {
    const name = relative(ROOT, file);
    for (const s of specs) if (NODE.has(s) || s === 'electron') problems.push(`${name} imports ${s}`);
    // code only: comments and string literals may name anything
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')
      .replace(/\/\/.*$/gm, '');
    for (const global of ['window', 'document', 'process', 'Buffer', 'require']) if (new RegExp(`\\b${global}\\s*[.(\\[]`).test(code)) problems.push(`${name} uses ${global}`);
  }
  expect(problems).toEqual([]);
});
