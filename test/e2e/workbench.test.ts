// End to end, the template workbench: `node dist/node/server.mjs` (browser mode) in Debian's
// Chromium. Start from the few-shot sentiment starter, add a shot (the preview and its token count
// follow), switch to chain of thought and back without losing it, set the temperature with the
// slider, run on the demo model, save, reload, and find the template, its versions and the run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserMode, type BrowserMode } from '../helpers/browser-mode.js';
import { assemble, extractAnswer, starterTemplate, type Template } from '../../core/prompt/index.js';
import { BOS, demoModel, designedGreedy, designedText } from '../../build/gguf/demo-model.js';
import { ROOT } from '../helpers/backend.js';

const SCREENSHOT = join(ROOT, 'resources', 'screenshots', 'workbench.png');
const { design, tokenizer } = demoModel();

const NEW_SHOT = { input: 'What a great day!', output: 'Positive.' };
const STARTER_NAME = 'Sentiment (few-shot)';

/** What the demo model writes greedily after `prompt`, cut before the first stop string. */
function greedyUntil(prompt: string, maxTokens: number, stop: string): string {
  const text = designedText(design, designedGreedy(design, [BOS, ...tokenizer.tokenize(prompt)], maxTokens));
  const at = text.indexOf(stop);
  return at < 0 ? text : text.slice(0, at);
}

let session: BrowserMode;
let dataDir: string;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  session = await openBrowserMode();
  ({ page, pageErrors } = session);
  dataDir = session.dataDir;
});

afterAll(() => session?.close());

const byId = (id: string) => page.getByTestId(id);
const text = async (id: string) => (await byId(id).textContent()) ?? '';
const previewTokens = async () => Number((await text('preview-token-count')).replace(/\D/g, '') || 0);
const shotInputs = () => page.getByTestId('shot-input').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));

/** The template as the test built it in the UI, for the prompt it must become. */
function expectedTemplate(): Template {
  const template = starterTemplate('sentiment-few-shot')!;
  return { ...template, examples: [...template.examples, { ...NEW_SHOT, enabled: true }] };
}

describe('template workbench', () => {
  let tokensBefore = 0;

  it('starts from the few-shot sentiment starter and shows its exact prompt with a token count', async () => {
    await expect.poll(() => byId('model-select').textContent()).toMatch(/shotglass-demo\.gguf/);
    await byId('new-from-starter').click();
    await byId('starter-sentiment-few-shot').click();
    await expect.poll(() => byId('template-name').inputValue()).toBe(STARTER_NAME);
    expect(await byId('shot').count()).toBe(4);
    expect(await byId('technique-few-shot').getAttribute('aria-checked')).toBe('true');
    // The settings come from the template: Deterministic, 8 tokens, stop at a newline.
    expect(await byId('temperature-input').inputValue()).toBe('0');
    expect(await byId('max-tokens-input').inputValue()).toBe('8');

    // Exact tokens need the model: load it from the preview.
    await byId('preview-load').click();
    await expect.poll(previewTokens, { timeout: 30_000 }).toBeGreaterThan(50);
    tokensBefore = await previewTokens();
    const preview = await text('preview-text');
    expect(preview).toContain('Q: This movie was wonderful!\nA: Positive.');
    expect(preview).toMatch(/Q: The hotel room was dirty and the staff ignored us\.\nA:$/);
    expect(await byId('context-meter').getAttribute('data-level')).toBe('ok');
    expect(await text('context-meter')).toContain(`${tokensBefore} + 8 / 4096`);
  });

  it('adds a shot: the preview and its token count follow as you type', async () => {
    await byId('add-shot').click();
    await expect.poll(() => byId('shot').count()).toBe(5);
    await byId('shot-input').last().fill(NEW_SHOT.input);
    await byId('shot-output').last().fill(NEW_SHOT.output);
    await expect.poll(() => text('preview-text')).toContain(`Q: ${NEW_SHOT.input}\nA: ${NEW_SHOT.output}`);
    await expect.poll(previewTokens).toBeGreaterThan(tokensBefore);
    expect(await text('save-state')).toMatch(/not saved/);
  });

  it('switches to chain of thought and back without losing the shot', async () => {
    await byId('technique-chain-of-thought').click();
    await expect.poll(() => text('preview-text')).toContain("A: Let's think step by step.");
    expect(await byId('shot').count()).toBe(5);
    expect((await shotInputs())[4]).toBe(NEW_SHOT.input);
    expect(await byId('shot-reasoning').count()).toBe(5);

    await byId('technique-few-shot').click();
    await expect.poll(() => text('preview-text')).not.toContain("Let's think step by step.");
    expect(await byId('shot').count()).toBe(5);
    expect(await shotInputs()).toEqual([...starterTemplate('sentiment-few-shot')!.examples.map((e) => e.input), NEW_SHOT.input]);
    expect(await byId('shot-output').last().inputValue()).toBe(NEW_SHOT.output);
    expect(await byId('shot-reasoning').count()).toBe(0);
    expect(await text('preview-text')).toContain(`Q: ${NEW_SHOT.input}\nA: ${NEW_SHOT.output}`);
  });

  it('sets the temperature with the slider and runs on the demo model', async () => {
    await byId('temperature-slider').fill('0.6');
    expect(await byId('temperature-input').inputValue()).toBe('0.6');
    expect(await byId('preset-modified').count()).toBe(1);
    await byId('temperature-slider').fill('0');
    expect(await byId('temperature-input').inputValue()).toBe('0');
    expect(await byId('preset-modified').count()).toBe(0);

    await byId('run-button').click();
    await expect.poll(() => text('run-status'), { timeout: 30_000 }).toMatch(/done/);
    // What ran is what the preview showed: the assembled template, greedy, cut at the stop string.
    const prompt = assemble(expectedTemplate());
    if (prompt.mode !== 'completion') throw new Error('the sentiment starter is a completion template');
    const expected = greedyUntil(prompt.text, 8, '\n');
    expect(expected.trim()).toMatch(/^(Positive|Negative)\.?$/);
    expect(await text('output')).toBe(expected);
    expect(await text('finish-reason')).toMatch(/stop string|max tokens|end of text/);
    // The template's answer rule reads the label out of the output.
    expect(await text('run-answer')).toBe(extractAnswer(expected, expectedTemplate().extraction));
    await expect.poll(() => byId('run-history-link').count()).toBe(1);

    // Hovering a generated token shows how likely it was, with the alternatives.
    await byId('tint-toggle').check();
    // (re-hovered until it shows: a late layout change, e.g. the output scrolling into place on a
    // loaded machine, closes the tooltip as it should)
    await expect
      .poll(async () => {
        await page.mouse.move(0, 0);
        await byId('output').locator('[data-s]').first().hover();
        return byId('token-tooltip').count();
      })
      .toBe(1);
    expect(await text('token-probability')).toMatch(/\d+\.\d%/);
    await page.mouse.move(0, 0);
  });

  it('saves (Ctrl+S) and keeps every save as a version', async () => {
    await page.keyboard.press('Control+s');
    await expect.poll(() => text('save-state')).toMatch(/v1 · saved/);
    await expect.poll(() => byId('library-item').count()).toBe(1);

    // A second save: add a tag, save with the button.
    await page.locator('details.details > summary').click();
    await byId('template-tags').fill('classification, sentiment, few-shot, e2e');
    await expect.poll(() => text('save-state')).toMatch(/v1 · edited/);
    await byId('save-button').click();
    await expect.poll(() => text('save-state')).toMatch(/v2 · saved/);
    await expect.poll(() => page.locator('[data-testid="library-item"]').first().textContent()).toContain('v2');

    // The README picture: template, preview, the output with a token's probabilities.
    await page.locator('details.details > summary').click();
    await expect.poll(() => byId('preview-updating').getAttribute('class')).not.toMatch(/\bon\b/);
    // (re-hovered until it shows: a late layout change, e.g. the output scrolling into place on a
    // loaded machine, closes the tooltip as it should)
    await expect
      .poll(async () => {
        await page.mouse.move(0, 0);
        await byId('output').locator('[data-s]').first().hover();
        return byId('token-tooltip').count();
      })
      .toBe(1);
    mkdirSync(join(ROOT, 'resources', 'screenshots'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    await page.mouse.move(0, 0);
  });

  it('after a reload, finds the template, its versions and the run in the history', async () => {
    // A file that is not a valid template, dropped into the library folder by hand.
    writeFileSync(join(dataDir, 'library', 'broken.yaml'), 'schemaVersion: 1\nname: Broken\nexamples: 12\n');
    page.on('dialog', (d) => void d.accept());
    await page.reload();
    await expect.poll(() => byId('model-select').textContent()).toMatch(/shotglass-demo\.gguf/);
    // The last template opens again.
    await expect.poll(() => byId('template-name').inputValue()).toBe(STARTER_NAME);
    expect(await byId('shot').count()).toBe(5);

    const item = page.locator(`[data-testid="library-item"][data-name="${STARTER_NAME}"]`);
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.textContent()).toContain('v2');

    await item.getByTestId('library-versions').click();
    await expect.poll(() => byId('version-row').count()).toBe(2);
    await expect.poll(() => text('version-diff')).toMatch(/\+\s*- e2e/);
    await byId('versions-dialog-close').click();

    // Listed as broken, with the reason in words.
    await expect.poll(() => text('library-broken'), { timeout: 10_000 }).toMatch(/broken\.yaml[\s\S]*examples/);

    await byId('sidebar-history').click();
    await expect.poll(() => byId('history-item').count()).toBe(1);
    const run = byId('history-item').first();
    const prompt = assemble(expectedTemplate());
    const expected = prompt.mode === 'completion' ? greedyUntil(prompt.text, 8, '\n') : '';
    expect(await run.textContent()).toContain(expected.trim());
    await run.locator('.entry-open').click();
    await expect.poll(() => byId('run-prompt').count()).toBe(1);
    expect(await text('run-prompt')).toContain(`Q: ${NEW_SHOT.input}\nA: ${NEW_SHOT.output}`);
    expect(await text('run-output')).toBe(expected);
    expect(await text('run-settings')).toMatch(/temperature\s*0/);
    await byId('run-dialog-close').click();

    // Filtering by text finds it; text that no run has finds nothing.
    await byId('history-search').fill('great day');
    await expect.poll(() => byId('history-item').count()).toBe(1);
    await byId('history-search').fill('no run says this');
    await expect.poll(() => byId('history-item').count()).toBe(0);

    expect(pageErrors).toEqual([]);
  });
});
