// electron/prompt is imported by the renderer too: no Node or Electron, only zod and the contract.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(__dirname, '../../electron/prompt');

describe('electron/prompt stays pure', () => {
  it('imports only zod, its own files and the API contract', () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const spec of specifiers) {
        expect(['zod', '../api/contract.js'].includes(spec!) || /^\.\/[\w-]+\.js$/.test(spec!), `${file} imports ${spec}`).toBe(true);
      }
      expect(source, file).not.toMatch(/\b(require\(|process\.|Buffer\b|__dirname)/);
    }
  });
});
