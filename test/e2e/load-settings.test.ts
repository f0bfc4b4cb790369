// End to end, the load settings and the system line: `node dist/node/server.mjs` (browser mode) in
// Debian's Chromium. A refused setting names its field and sends nothing; valid ones reload the
// demo model with them (its meta shows the new context), and the dialog reopens on them.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserMode, type BrowserMode } from '../helpers/browser-mode.js';

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

describe('load settings', () => {
  it('shows what the inference process runs on in the status bar', async () => {
    await expect.poll(() => byId('model-select').textContent()).toMatch(/shotglass-demo\.gguf/);
    // The server runs with SHOTGLASS_GPU=cpu; the addon is Shotglass's (built at install).
    await expect.poll(() => text('system-info'), { timeout: 30_000 }).toContain('CPU');
    expect(await text('system-info')).toMatch(/\d+ cores? · RAM .+ free/);
    expect(await text('native-addon')).toBe('Shotglass addon');
  });

  it('refuses a context size below the minimum, naming the field', async () => {
    await byId('load-settings-button').click();
    await expect.poll(() => byId('load-settings-dialog').count()).toBe(1);
    expect(await byId('backend-select').inputValue()).toBe('cpu');
    await byId('load-context-size').fill('5');
    await byId('load-settings-apply').click();
    await expect.poll(() => text('load-settings-error')).toBe('Context size must be at least 16');
    expect(await byId('load-context-size').getAttribute('aria-invalid')).toBe('true');
    // Nothing was sent: the model is as it was.
    expect(await text('model-state')).toBe('unloaded');
  });

  it('loads the demo model with context 1024 and 1 thread', async () => {
    await byId('load-context-size').fill('1024');
    expect(await byId('load-settings-error').count()).toBe(0);
    await byId('load-threads').fill('1');
    await byId('load-flash-attention').locator('[data-value="off"]').click();
    await byId('load-settings-apply').click();
    await expect.poll(() => byId('load-settings-dialog').count(), { timeout: 30_000 }).toBe(0);
    expect(await text('model-state')).toBe('loaded');
    expect(await text('model-meta')).toContain('ctx 1024');
  });

  it('reopens on the settings the model was loaded with', async () => {
    await byId('load-settings-button').click();
    expect(await byId('load-context-size').inputValue()).toBe('1024');
    expect(await byId('load-threads').inputValue()).toBe('1');
    expect(await byId('load-flash-attention').locator('[data-value="off"]').getAttribute('aria-checked')).toBe('true');
    expect(await byId('load-sequences').inputValue()).toBe('4');
    expect(await byId('load-mmap').isChecked()).toBe(true);
    expect(await byId('load-ignore-memory').isChecked()).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => byId('load-settings-dialog').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
