// The template library and run history through the API, on real files and a real SQLite file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEvent, SavedTemplate, TemplateEntry } from '../../core/api/contract.js';
import { assemble, STARTERS, type Template } from '../../core/prompt/index.js';
import { startTestBackend, type TestService } from '../helpers/backend.js';

let backend: TestService;
beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(() => backend.dispose());

const ok = (entry: TemplateEntry): SavedTemplate => {
  if (entry.status !== 'ok') throw new Error(`expected a valid template, got: ${entry.reason}`);
  return entry;
};
const starter = (id: string): Template => structuredClone(STARTERS.find((s) => s.id === id)!.template);

describe('template library through the API', () => {
  it('creates, saves versions, diffs and restores', async () => {
    const created = ok(await backend.api.createTemplate({ template: starter('sentiment-few-shot') }));
    expect(created.version).toBe(1);
    const edited = { ...created.template, instruction: 'Label the review: Positive or Negative.' };
    const saved = ok(await backend.api.saveTemplate({ id: created.id, template: edited, expectedVersion: 1 }));
    expect(saved.version).toBe(2);
    expect((await backend.api.listTemplateVersions({ id: created.id })).map((v) => v.version)).toEqual([2, 1]); // newest first
    const diff = await backend.api.diffTemplateVersions({ id: created.id, from: 1, to: 2 });
    expect(diff.lines.some((l) => l.op === 'add' && l.text.includes('Label the review'))).toBe(true);
    const restored = ok(await backend.api.restoreTemplateVersion({ id: created.id, version: 1, expectedVersion: 2 }));
    expect(restored.version).toBe(3);
    expect(restored.template.instruction).toBe(created.template.instruction);
  });

  it('refuses a stale save with a conflict, and an invalid template naming the field', async () => {
    const created = ok(await backend.api.createTemplate({ template: starter('grammar-correction') }));
    await backend.api.saveTemplate({ id: created.id, template: { ...created.template, notes: 'first edit' }, expectedVersion: 1 });
    // A second window still holding version 1 must not overwrite version 2.
    await expect(
      backend.api.saveTemplate({ id: created.id, template: { ...created.template, notes: 'stale edit' }, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(ok(await backend.api.getTemplate({ id: created.id })).template.notes).toBe('first edit');
    await expect(
      backend.api.createTemplate({ template: { ...created.template, examples: [{ input: 3 }] } }),
    ).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/examples\.0/) });
  });

  it('lists a broken file with its reason and never overwrites it; deletes with undo', async () => {
    const dir = (await backend.api.getLibrary({})).dir;
    writeFileSync(join(dir, 'broken.yaml'), 'shotglass: 1\ntemplate: [not, a, template\n');
    const events: ServiceEvent[] = [];
    const off = backend.onEvent((e) => events.push(e));
    const created = ok(await backend.api.createTemplate({ template: starter('summarization') }));
    // The folder is watched: the outside file arrives as a library event, then in the list.
    await expect.poll(() => events.some((e) => e.type === 'library'), { timeout: 5000 }).toBe(true);
    const broken = await expect
      .poll(async () => (await backend.api.listTemplates({})).find((e) => e.status === 'broken' && e.file === 'broken.yaml'), { timeout: 5000 })
      .toBeDefined()
      .then(async () => (await backend.api.listTemplates({})).find((e) => e.file === 'broken.yaml'));
    expect(broken?.status === 'broken' && broken.reason).toMatch(/^broken\.yaml/);
    expect(readFileSync(join(dir, 'broken.yaml'), 'utf8')).toBe('shotglass: 1\ntemplate: [not, a, template\n');
    off();
    const { trashId } = await backend.api.deleteTemplate({ id: created.id });
    expect((await backend.api.listTemplates({})).some((e) => e.id === created.id)).toBe(false);
    ok(await backend.api.undoDeleteTemplate({ trashId }));
    expect((await backend.api.listTemplates({})).some((e) => e.id === created.id)).toBe(true);
  });

  it('offers the starters, searches, exports and imports', async () => {
    const starters = await backend.api.listStarters({});
    expect(starters.map((t) => t.name)).toEqual(STARTERS.map((s) => s.template.name));
    const created = ok(await backend.api.createTemplate({ template: starter('json-extraction') }));
    const found = await backend.api.listTemplates({ text: 'JSON' });
    expect(found.map((e) => e.id)).toContain(created.id);
    const exported = await backend.api.exportTemplate({ id: created.id });
    expect(exported.text).toContain('template:');
    const imported = ok(await backend.api.importTemplate({ text: exported.text }));
    expect(imported.template).toEqual(created.template);
    expect(imported.id).not.toBe(created.id);
  });
});

describe('run history', () => {
  it('keeps every run with its prompt, settings, output, metrics, record and probabilities', async () => {
    const template = starter('sentiment-zero-shot');
    const entry = ok(await backend.api.createTemplate({ template }));
    const assembled = assemble(entry.template, { review: 'This movie sucks!' });
    expect(assembled.mode).toBe('completion');
    const prompt = assembled.mode === 'completion' ? assembled.text : '';
    const stored = new Promise<string>((resolve) => {
      const off = backend.onEvent((e) => {
        if (e.type === 'history' && e.historyId) {
          off();
          resolve(e.historyId);
        }
      });
    });
    const { runId } = await backend.api.startCompletion({
      modelId: backend.demoId,
      prompt,
      sampling: { temperature: 0, maxTokens: 5 },
      templateId: entry.id,
      templateVersion: entry.version,
      templateHash: 'abc',
    });
    const historyId = await stored;
    const run = await backend.api.getRun({ id: historyId, probabilities: true });
    expect(run).toMatchObject({ templateId: entry.id, templateVersion: 1, templateHash: 'abc', mode: 'completion', prompt });
    expect(run.output.length).toBeGreaterThan(0);
    expect((run.record as { sampling: { temperature: number } }).sampling.temperature).toBe(0);
    expect(Array.isArray(run.probabilities)).toBe(true);
    expect(runId).toBeTruthy();

    const page = await backend.api.listRuns({ templateId: entry.id });
    expect(page.items.map((r) => r.id)).toEqual([historyId]);
    const byText = await backend.api.listRuns({ text: 'movie' });
    expect(byText.items.map((r) => r.id)).toContain(historyId);
    const rated = await backend.api.rateRun({ id: historyId, rating: 5, notes: 'good' });
    expect(rated).toMatchObject({ rating: 5, notes: 'good' });
    expect(await backend.api.deleteRun({ id: historyId })).toEqual({ deleted: true });
    await expect(backend.api.getRun({ id: historyId })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('ephemeral runs stay out of the history', async () => {
    const before = (await backend.api.listRuns({ limit: 200 })).items.length;
    const outcome = await backend.run(backend.demoId, 'The model', { temperature: 0, maxTokens: 2 });
    expect(outcome.result).toBeDefined();
    await new Promise((r) => setTimeout(r, 50));
    const after = (await backend.api.listRuns({ limit: 200 })).items.length;
    expect(after).toBe(before + 1);
    await backend.api.startCompletion({ modelId: backend.demoId, prompt: 'x', sampling: { maxTokens: 1 }, ephemeral: true });
    await new Promise((r) => setTimeout(r, 300));
    expect((await backend.api.listRuns({ limit: 200 })).items.length).toBe(after);
  });
});

describe('sampling presets', () => {
  it('offers the built-ins and keeps user presets, validated, across backends', async () => {
    const { builtIn, user } = await backend.api.listPresets({});
    expect(builtIn.map((p) => p.name)).toEqual(['Deterministic', 'Balanced', 'Creative']);
    expect(user).toEqual([]);
    const saved = await backend.api.savePreset({ name: 'Terse', sampling: { temperature: 0.3, maxTokens: 32 } });
    expect(saved).toEqual([{ name: 'Terse', description: '', sampling: { temperature: 0.3, maxTokens: 32 } }]);
    await expect(backend.api.savePreset({ name: 'deterministic', sampling: { temperature: 0 } })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/is the name of a built-in preset/),
    });
    await expect(backend.api.savePreset({ name: 'Hot', sampling: { temperature: 9 } })).rejects.toMatchObject({
      message: expect.stringMatching(/temperature must be at most 2/),
    });
    expect(await backend.api.deletePreset({ name: 'Terse' })).toEqual([]);
  });
});
