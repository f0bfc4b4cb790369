// Drafts on real files: kept per template, replaced atomically, listed newest first, discarded;
// bad keys and bad templates refused by the contract and the template schema; a damaged file is
// skipped and left on disk.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInput, type ApiInput } from '../../core/api/contract.js';
import { createDrafts } from '../../service/drafts.js';
import { STARTERS, type Template } from '../../core/prompt/index.js';

const starter = (id: string): Template => structuredClone(STARTERS.find((s) => s.id === id)!.template);

function draftInput(key: string, template: Template, values: Record<string, string> = {}): ApiInput<'saveDraft'> {
  return { draft: { key, template, base: null, values, sampling: { temperature: 0.3 }, preset: null, edited: true } };
}

/** Through the contract first, as every transport does. */
function drafts() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-drafts-'));
  const handlers = createDrafts(dataDir);
  return {
    dataDir,
    save: async (input: ApiInput<'saveDraft'>) => handlers.saveDraft(parseInput('saveDraft', input)),
    get: async (key: string) => handlers.getDraft(parseInput('getDraft', { key })),
    list: async () => handlers.listDrafts(parseInput('listDrafts', {})),
    discard: async (key: string) => handlers.discardDraft(parseInput('discardDraft', { key })),
  };
}

describe('drafts', () => {
  it('keeps one draft per template, replaces it, lists newest first and discards it', async () => {
    const d = drafts();
    const grammar = { ...starter('grammar-correction'), instruction: 'Fix it, politely.' };
    await d.save(draftInput('tpl-a', grammar, { text: 'i has a cat' }));
    await d.save(draftInput('new-123', starter('sentiment-few-shot')));
    const kept = await d.get('tpl-a');
    expect(kept?.template.instruction).toBe('Fix it, politely.');
    expect(kept?.values).toEqual({ text: 'i has a cat' });
    expect(kept?.sampling.temperature).toBe(0.3);

    await d.save(draftInput('tpl-a', { ...grammar, instruction: 'Second edit.' }));
    expect((await d.get('tpl-a'))?.template.instruction).toBe('Second edit.');
    const listed = await d.list();
    expect(listed.map((x) => x.key)).toEqual(['tpl-a', 'new-123']);
    expect(listed[0]!.name).toBe(grammar.name);
    // Atomic writes leave no temp files behind.
    expect(readdirSync(join(d.dataDir, 'drafts')).sort()).toEqual(['new-123.draft.json', 'tpl-a.draft.json']);

    expect(await d.discard('tpl-a')).toEqual({ discarded: true });
    expect(await d.get('tpl-a')).toBeNull();
    expect(await d.discard('tpl-a')).toEqual({ discarded: false });
    expect((await d.list()).map((x) => x.key)).toEqual(['new-123']);
  });

  it('refuses keys that could name another file, and templates the schema refuses', async () => {
    const d = drafts();
    for (const key of ['../settings', 'a/b', '', 'x'.repeat(129), 'a.b']) {
      await expect(d.save(draftInput(key, starter('grammar-correction')))).rejects.toThrow(/draft\.key must be/);
      await expect(d.get(key)).rejects.toThrow(/key must be/);
    }
    const bad = { ...starter('grammar-correction'), mode: 'poem' } as unknown as Template;
    await expect(d.save(draftInput('tpl-b', bad))).rejects.toThrow(/draft\.template/);
    expect(await d.list()).toEqual([]);
  });

  it('skips a damaged draft file and leaves it on disk', async () => {
    const d = drafts();
    await d.save(draftInput('good', starter('grammar-correction')));
    const broken = join(d.dataDir, 'drafts', 'broken.draft.json');
    writeFileSync(broken, '{"key": "broken", "templ');
    expect((await d.list()).map((x) => x.key)).toEqual(['good']);
    expect(await d.get('broken')).toBeNull();
    expect(readFileSync(broken, 'utf8')).toContain('templ');
  });
});
