// End to end: `node dist/node/server.mjs` (browser mode) driven in Debian's Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserMode, type BrowserMode } from '../helpers/browser-mode.js';
import { BOS, demoModel, designedGreedy, designedText } from '../../build/gguf/demo-model.js';
import { fixture, ROOT } from '../helpers/backend.js';

const SCREENSHOT = join(ROOT, 'resources', 'screenshots', 'browser-mode.png');
const { design, tokenizer } = demoModel();
const greedy = (prompt: string, n: number) =>
  designedText(design, designedGreedy(design, [BOS, ...tokenizer.tokenize(prompt)], n));

let session: BrowserMode;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  session = await openBrowserMode();
  ({ page, pageErrors } = session);
});

afterAll(() => session?.close());

const byId = (id: string) => page.getByTestId(id);
const text = async (id: string) => (await byId(id).textContent()) ?? '';
const tokenCount = async () => Number((await text('token-count')).replace(/\D/g, '') || 0);

async function setPrompt(prompt: string): Promise<void> {
  await page.waitForFunction(() => typeof (window as unknown as { __shotglassSetPrompt?: unknown }).__shotglassSetPrompt === 'function');
  await page.evaluate((p) => (window as unknown as { __shotglassSetPrompt(t: string): void }).__shotglassSetPrompt(p), prompt);
}

async function waitForStatus(status: RegExp, timeout = 30_000): Promise<void> {
  await expect.poll(() => text('run-status'), { timeout }).toMatch(status);
}

describe('browser mode', () => {
  it('opens on the demo model with the editor ready', async () => {
    await expect.poll(() => byId('model-select').textContent()).toMatch(/shotglass-demo\.gguf/);
    // The workbench opens on the template editor; the raw prompt is one tab away.
    await byId('tab-raw').click();
    await expect.poll(() => byId('prompt-editor').locator('.monaco-editor').count()).toBe(1);
    expect(await text('run-status')).toMatch(/idle/);
  });

  it('runs a prompt, loading the model on the way, and shows the designed completion', async () => {
    await setPrompt('Q: This movie sucks!\nA:');
    await byId('temperature-input').fill('0');
    await byId('max-tokens-input').fill('12');
    await byId('run-button').click();
    await waitForStatus(/done/);
    expect(await text('model-state')).toMatch(/loaded/);
    expect(await text('output')).toBe(greedy('Q: This movie sucks!\nA:', 12));
    expect(await tokenCount()).toBe(12);
    expect(await text('tokens-per-second')).toMatch(/\d/);
  });

  it('streams tokens as they come, and Stop (Esc) cancels the run', async () => {
    await setPrompt('The model');
    await byId('max-tokens-input').fill('4096');
    await page.keyboard.press('Control+Enter');
    await waitForStatus(/running/);
    const seen = new Set<number>();
    await expect
      .poll(async () => {
        seen.add(await tokenCount());
        return seen.size;
      }, { timeout: 20_000, interval: 30 })
      .toBeGreaterThanOrEqual(3);
    await byId('stop-button').click();
    await waitForStatus(/cancelled/);
    const count = await tokenCount();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(4096);
    expect(greedy('The model', count)).toBe(await text('output'));

    await page.keyboard.press('Control+Enter');
    await waitForStatus(/running/);
    await page.keyboard.press('Escape');
    await waitForStatus(/cancelled/);
  });

  it.each([
    ['not-gguf.gguf', /not a GGUF model file/],
    ['missing-ffn-length.gguf', /lacks "llama\.feed_forward_length"/],
    ['truncated.gguf', /partial download/],
  ])('opening %s shows the error in words; the demo model still runs', async (file, expected) => {
    await byId('open-path-input').fill(fixture(file));
    await byId('open-path-button').click();
    await expect.poll(() => byId('model-error').textContent(), { timeout: 20_000 }).toMatch(expected);
    expect(await text('model-state')).toMatch(/error/);

    const demoValue = await byId('model-select').locator('option', { hasText: 'shotglass-demo.gguf' }).getAttribute('value');
    await byId('model-select').selectOption(demoValue!);
    await setPrompt('Q: This movie sucks!\nA:');
    await byId('max-tokens-input').fill('6');
    await byId('run-button').click();
    await waitForStatus(/done/);
    expect(await text('output')).toBe(greedy('Q: This movie sucks!\nA:', 6));
  });

  it('takes the README screenshot', async () => {
    await setPrompt('Q: This movie sucks!\nA:');
    await byId('temperature-input').fill('0.8');
    await byId('max-tokens-input').fill('40');
    await byId('run-button').click();
    await waitForStatus(/done/);
    mkdirSync(join(ROOT, 'resources', 'screenshots'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(pageErrors).toEqual([]);
  });
});
