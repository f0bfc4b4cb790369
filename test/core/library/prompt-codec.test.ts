// The library with Shotglass's real template schema: every starter template is saved, read back
// unchanged, and written readably; a template from a newer schema is listed as broken.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type TemplateLibrary } from '../../../service/library/index.js';
import { promptTemplateCodec } from '../../../core/library/prompt-codec.js';
import { STARTERS, type Template } from '../../../core/prompt/index.js';
import { tempDir } from '../../service/library/fs-helpers.js';

let root: string;
let lib: TemplateLibrary<Template>;
beforeEach(async () => {
  root = tempDir();
  lib = await openLibrary({ dir: join(root, 'library'), codec: promptTemplateCodec, watch: false });
});
afterEach(() => {
  lib.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the library with the real template schema', () => {
  it('round-trips every starter template', async () => {
    expect(STARTERS.length).toBeGreaterThan(0);
    const ids: string[] = [];
    for (const starter of STARTERS) ids.push((await lib.create(starter.template)).id);
    const reopened = await openLibrary({ dir: lib.dir, codec: promptTemplateCodec, watch: false });
    STARTERS.forEach((starter, i) => {
      const entry = reopened.get(ids[i]!);
      expect(entry.status).toBe('ok');
      if (entry.status === 'ok') expect(entry.template).toEqual(starter.template);
    });
    reopened.close();
    // multi-line formats are readable blocks, not escaped strings
    const file = readFileSync(join(lib.dir, lib.list().find((e) => e.status === 'ok' && e.name.startsWith('Sentiment'))!.file), 'utf8');
    expect(file).toContain('  exampleFormat: |-\n    Q: {{input}}\n    A: {{output}}\n');
    expect(lib.search({ text: 'positive negative' }).length).toBeGreaterThan(0);
  });

  it('lists a template from a newer schema as broken, with the reason', async () => {
    writeFileSync(join(lib.dir, 'future.yaml'), 'schemaVersion: 2\nname: From the future\n');
    await lib.rescan();
    const [entry] = lib.list();
    expect(entry).toMatchObject({ status: 'broken' });
    if (entry?.status === 'broken') {
      expect(entry.reason).toBe(
        'future.yaml is not a valid template: this template was saved by a newer Shotglass (schema 2); this version reads up to 1',
      );
    }
  });
});
