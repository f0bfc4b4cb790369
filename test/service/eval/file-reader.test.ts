import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { importPromptfoo } from '../../../core/eval/index.js';
import { nodeFileReader } from '../../../service/eval/file-reader.js';

const DIR = resolve(__dirname, 'fixtures/promptfoo');

describe('promptfoo config from real files', () => {
  test('prompts, CSV (BOM, CRLF, quoted newline) and JSONL tests and file:// vars are read relative to the config', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(join(DIR, 'promptfooconfig.yaml'), 'utf8');
    const r = await importPromptfoo(text, nodeFileReader(DIR));
    if (!r.ok) throw new Error(r.error);
    const { file, issues, unsupported } = r.result;
    expect(issues).toEqual([]);
    expect(unsupported).toEqual([]);
    expect(file.variants.map((v) => [v.label, v.model, v.prompt])).toEqual([
      ['prompts/sentiment.txt 1', '../models/demo.gguf', 'Review: {{review}}\nSentiment:'],
      ['prompts/sentiment.txt 2', '../models/demo.gguf', 'Is this review positive or negative?\n{{review}}\n'],
    ]);
    const cases = file.dataset as Exclude<typeof file.dataset, string>;
    expect(cases.map((c) => c.vars.review)).toEqual(['Great, truly great', 'Line one\r\nline two', 'Meh', 'The hotel was dirty and the staff were rude.\n']);
    expect(cases.map((c) => c.description)).toEqual(['commas', 'multi-line', undefined, undefined]);
  });
});

describe('the Node file reader', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sg-reader-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('a missing file or a folder fails with the error code only', async () => {
    const read = nodeFileReader(tmp);
    await expect(read('missing.csv')).rejects.toThrow(/^ENOENT$/);
    await expect(read('.')).rejects.toThrow(/^EISDIR$/);
  });

  test('confined: paths leaving the folder are refused, paths inside still read', async () => {
    writeFileSync(join(tmp, 'in.txt'), 'ok');
    const read = nodeFileReader(join(tmp, '.'), { confine: true });
    await expect(read('../etc/passwd')).rejects.toThrow('outside the folder of the config');
    await expect(read('/etc/hostname')).rejects.toThrow('outside the folder of the config');
    expect(await read('./in.txt')).toBe('ok');
  });

  test('reads UTF-8 relative to its folder', async () => {
    writeFileSync(join(tmp, 'a.txt'), 'héllo');
    expect(await nodeFileReader(tmp)('a.txt')).toBe('héllo');
  });
});
