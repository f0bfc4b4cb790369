// End to end in Chromium (browser mode), issue 14's compare-view defects: the builder follows the
// workbench template it was made from, and says so when the workbench moves to another one
// (defect 3); Ctrl/Cmd+Enter runs and Ctrl/Cmd+S saves in Compare (defect 13); a saved comparison
// reopened after a reload re-runs exactly as saved, from "Edit variants" and from "Run again"
// (defect 2). No generated text is hard-coded: outputs are compared with each other.
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../core/api/contract.js';
import { openBrowserMode, type BrowserMode } from '../helpers/browser-mode.js';

const SAVED_NAME = 'Rerun as saved';
const NEW_SHOT = { input: 'The soup was cold and bland.', output: 'Negative.' };

let session: BrowserMode;
let page: Page;

beforeAll(async () => {
  session = await openBrowserMode({ pageOptions: { acceptDownloads: true } });
  page = session.page;
});
afterAll(() => session?.close());

const byId = (id: string) => page.getByTestId(id);
const values = (id: string) => byId(id).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
const allDone = async () => {
  const statuses = await byId('run-block').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  return statuses.length > 0 && statuses.every((s) => s === 'done');
};
const outputs = () => byId('compare-output').allTextContents();
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

async function download(id: string): Promise<string> {
  const [file] = (await Promise.all([page.waitForEvent('download'), byId(id).click()])) as [Download, unknown];
  return readFileSync((await file.path())!, 'utf8');
}

async function openStarter(id: string, name: RegExp) {
  await byId('view-workbench').click();
  await byId('new-from-starter').click();
  await byId(`starter-${id}`).click();
  await expect.poll(() => byId('template-name').inputValue()).toMatch(name);
}

describe('the compare builder follows the workbench (defect 3)', () => {
  it('a new example and max tokens set in the workbench reach the variants, and run', async () => {
    await expect.poll(() => byId('model-select').textContent(), { timeout: 30_000 }).toMatch(/shotglass-demo\.gguf/);
    await openStarter('sentiment-few-shot', /Sentiment \(few-shot\)/);
    const shots = await byId('shot').count();
    const maxBefore = await byId('max-tokens-input').inputValue();
    await byId('compare-with').click();
    await expect.poll(() => byId('variant-card').count()).toBe(2);
    expect(await byId('compare-follows').textContent()).toContain('Sentiment (few-shot)');
    expect(await values('variant-max-tokens')).toEqual([maxBefore, maxBefore]);
    await byId('variant-temperature').nth(1).fill('0.9');

    await byId('view-workbench').click();
    await byId('add-shot').click();
    await expect.poll(() => byId('shot').count()).toBe(shots + 1);
    await byId('shot-input').last().fill(NEW_SHOT.input);
    await byId('shot-output').last().fill(NEW_SHOT.output);
    const max = String(Number(maxBefore) + 5);
    await byId('max-tokens-input').fill(max);
    await byId('max-tokens-input').press('Tab');
    await expect.poll(() => byId('max-tokens-input').inputValue()).toBe(max);

    await byId('view-compare').click();
    await expect.poll(() => values('variant-max-tokens')).toEqual([max, max]);
    // B's own temperature stays; A follows the workbench's.
    expect((await values('variant-temperature'))[1]).toBe('0.9');
    expect(await page.locator('[data-testid="variant-card"] .cmp-hint').allTextContents()).toEqual([`${shots + 1} ex.`, `${shots + 1} ex.`]);

    await byId('compare-run').click();
    await expect.poll(() => byId('compare-column').count()).toBe(2);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
    await byId('compare-prompts').check();
    for (const prompt of await byId('column-prompt').allTextContents()) expect(prompt).toContain(NEW_SHOT.input);
    for (const tokens of await byId('run-tokens').allTextContents()) expect(Number(tokens)).toBeLessThanOrEqual(Number(max));
  });

  it('another template in the workbench: the builder says so plainly and offers to refresh', async () => {
    await byId('compare-edit').click();
    await expect.poll(() => byId('variant-card').count()).toBe(2);
    await openStarter('grammar-correction', /Grammar/);
    await byId('view-compare').click();
    await expect.poll(() => byId('compare-stale').count()).toBe(1);
    const stale = (await byId('compare-stale').textContent()) ?? '';
    expect(stale).toContain('Sentiment (few-shot)');
    expect(stale).toMatch(/Grammar/);
    await byId('compare-refresh').click();
    await expect.poll(() => byId('compare-stale').count()).toBe(0);
    expect(await byId('compare-follows').textContent()).toMatch(/Grammar/);
    expect(await byId('compare-name').inputValue()).toMatch(/Grammar/);
  });
});

describe('keyboard in Compare (defect 13)', () => {
  it('Ctrl/Cmd+Enter runs all variants and Ctrl/Cmd+S saves the comparison', async () => {
    await byId('compare-name').fill('Saved by keyboard');
    await page.keyboard.press(`${mod}+Enter`);
    await expect.poll(() => byId('compare-column').count()).toBe(2);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
    await byId('analysis-verdict').click();
    expect(await byId('compare-save-state').textContent()).not.toBe('saved');
    await page.keyboard.press(`${mod}+s`);
    // saveState turns 'saved' only when saveComparison answered
    await expect.poll(() => byId('compare-save-state').textContent()).toBe('saved');
  });
});

describe('a saved comparison re-runs exactly as saved (defect 2)', () => {
  let saved: Comparison;
  let savedOutputs: string[];

  it('runs and saves a seeded sweep', async () => {
    await openStarter('sentiment-few-shot', /Sentiment \(few-shot\)/);
    await byId('compare-with').click();
    await expect.poll(() => byId('variant-card').count()).toBe(2);
    await byId('variant-max-tokens').first().fill('12');
    await byId('variant-stop').first().fill('');
    await byId('sweep-kind').selectOption('temperature');
    await byId('sweep-values').fill('0, 0.9, 1.4');
    await byId('sweep-apply').click();
    await expect.poll(() => byId('variant-card').count()).toBe(3);
    await byId('compare-name').fill(SAVED_NAME);
    await byId('compare-seed').fill('42');
    await byId('compare-run').click();
    await expect.poll(() => byId('compare-column').count()).toBe(3);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
    savedOutputs = await outputs();
    await byId('analysis-verdict').click();
    await byId('compare-save').click();
    await expect.poll(() => byId('compare-save-state').textContent()).toBe('saved');
    saved = JSON.parse(await download('export-json')) as Comparison;
    expect(saved.spec.variants.map((v) => v.label)).toEqual(['T=0', 'T=0.9', 'T=1.4']);
  });

  it('after a reload, with other settings in the workbench, "Edit variants" reopens the saved variants and they run as saved', async () => {
    await page.reload();
    await expect.poll(() => byId('model-select').textContent(), { timeout: 30_000 }).toMatch(/shotglass-demo\.gguf/);
    await openStarter('grammar-correction', /Grammar/);
    await byId('temperature-input').fill('1.3');
    await byId('temperature-input').press('Tab');
    await byId('view-compare').click();
    await byId('compare-saved').click();
    await page.locator('[data-testid="saved-comparison"]', { hasText: SAVED_NAME }).click();
    await expect.poll(() => byId('compare-column').count()).toBe(3);
    expect(await outputs()).toEqual(savedOutputs);

    await byId('compare-edit').click();
    await expect.poll(() => byId('variant-card').count()).toBe(3);
    expect(await values('variant-label')).toEqual(['T=0', 'T=0.9', 'T=1.4']);
    expect(await values('variant-temperature')).toEqual(['0', '0.9', '1.4']);
    expect(await values('variant-max-tokens')).toEqual(['12', '12', '12']);
    expect(await byId('compare-seed').inputValue()).toBe('42');
    expect(await byId('compare-saved-variants').count()).toBe(1);
    const prompts = await byId('variant-saved-prompt').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    expect(prompts).toEqual(saved.spec.variants.map((v) => (v.input.mode === 'completion' ? v.input.text : '')));

    await byId('compare-run').click();
    await expect.poll(() => byId('compare-column').count()).toBe(3);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
    expect(await byId('compare-build-error').count()).toBe(0);
    expect(await byId('run-error').count()).toBe(0);
    await byId('analysis-verdict').click();
    const rerun = JSON.parse(await download('export-json')) as Comparison;
    expect(rerun.spec.variants).toEqual(saved.spec.variants);
    expect([rerun.seed, rerun.spec.repeats, rerun.spec.topProbabilities]).toEqual([saved.seed, saved.spec.repeats, saved.spec.topProbabilities]);
    // Same prompts, settings and seeds on the same model: the same outputs.
    expect(await outputs()).toEqual(savedOutputs);
  });

  it('"Run again" on the reopened results runs the saved variants too', async () => {
    await byId('compare-saved').click();
    await page.locator('[data-testid="saved-comparison"]', { hasText: SAVED_NAME }).first().click();
    await expect.poll(() => byId('compare-title').inputValue()).toBe(SAVED_NAME);
    await byId('compare-run').click();
    await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
    expect((await byId('column-label').allTextContents()).map((l) => l.trim())).toEqual(['T=0', 'T=0.9', 'T=1.4']);
    expect(await outputs()).toEqual(savedOutputs);
    expect(session.pageErrors).toEqual([]);
  });
});
