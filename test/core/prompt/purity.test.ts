// core/prompt is imported by the renderer too: no Node or Electron, only zod and the pure core
// (its own files, the contract, sampling). The layer rules check all of core/ the same way
// (test/architecture/layers.test.ts); this reads the sources directly, with no tool between.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(__dirname, '../../../core/prompt');

describe('core/prompt stays pure', () => {
  it('imports only zod, its own files, the API contract and sampling', () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const spec of specifiers) {
        const allowed = spec === 'zod' || /^\.\/[\w-]+\.js$/.test(spec!) || /^\.\.\/(api|sampling)\/[\w-]+\.js$/.test(spec!);
        expect(allowed, `${file} imports ${spec}`).toBe(true);
      }
      expect(source, file).not.toMatch(/\b(require\(|process\.|Buffer\b|__dirname)/);
    }
  });
});
