// End to end, A/B comparisons: `node dist/node/server.mjs` (browser mode) in Debian's Chromium.
// Build a 3-variant comparison from a starter template with a temperature sweep, run it, open the
// diff and probability views, fork from a token, rate and pick a winner, save, reload the page,
// reopen the comparison, export Markdown. Then measure responsiveness while 4 columns stream: no
// long task over 100 ms, and every streamed delta in the DOM within 50 ms of reaching the page.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserMode, type BrowserMode } from '../helpers/browser-mode.js';
import { ROOT } from '../helpers/backend.js';

const SCREENSHOT = join(ROOT, 'resources', 'screenshots', 'compare.png');
const NAME = 'Sentiment temperature sweep';

let session: BrowserMode;
let page: Page;
let pageErrors: string[];

/**
 * Installed before the app loads: stamps every run.delta as it arrives on the WebSocket, and
 * checks on every DOM mutation whether its text is on screen yet; records long tasks.
 */
function instrument() {
  type Pending = { runId: string; length: number; at: number };
  const w = window as unknown as Record<string, unknown>;
  const probe = { latencies: [] as number[], longTasks: [] as number[], pending: [] as Pending[], totals: {} as Record<string, number>, armed: false, skipped: 0 };
  w.__probe = probe;
  try {
    new PerformanceObserver((list) => {
      if (!probe.armed) return;
      for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    /* no longtask support: the test will see no entries and say so */
  }
  const outputOf = (runId: string) => document.querySelector(`[data-run="${runId}"] [data-testid="compare-output"]`);
  const check = () => {
    if (!probe.pending.length) return;
    const t = performance.now();
    probe.pending = probe.pending.filter((p) => {
      const el = outputOf(p.runId);
      if (el && (el.textContent ?? '').length >= p.length) {
        probe.latencies.push(t - p.at);
        return false;
      }
      return true;
    });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  const Native = window.WebSocket;
  class Stamped extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (message: MessageEvent) => {
        if (!probe.armed) return;
        const at = performance.now();
        for (const event of JSON.parse(String(message.data)) as Array<{ type: string; runId?: string; text?: string }>) {
          if (event.type !== 'run.delta' || !event.runId) continue;
          const total = (probe.totals[event.runId] ?? 0) + (event.text ?? '').length;
          probe.totals[event.runId] = total;
          // Only runs already on screen: a delta that beats startComparison's answer waits for the
          // HTTP round trip, not for rendering.
          if (!outputOf(event.runId)) {
            probe.skipped++;
            continue;
          }
          if (event.text) probe.pending.push({ runId: event.runId, length: total, at });
        }
      });
    }
  }
  window.WebSocket = Stamped as unknown as typeof WebSocket;
}

beforeAll(async () => {
  session = await openBrowserMode({ pageOptions: { acceptDownloads: true }, beforeLoad: async (p) => void (await p.addInitScript(instrument)) });
  ({ page, pageErrors } = session);
});

afterAll(() => session?.close());

const byId = (id: string) => page.getByTestId(id);
const text = async (id: string) => (await byId(id).textContent()) ?? '';
const statuses = () => byId('run-block').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
const allDone = async () => (await statuses()).every((s) => s === 'done');

describe('A/B comparison', () => {
  it('builds a 3-variant temperature sweep from the sentiment starter', async () => {
    await expect.poll(() => byId('model-select').textContent()).toMatch(/shotglass-demo\.gguf/);
    await byId('new-from-starter').click();
    await byId('starter-sentiment-few-shot').click();
    await expect.poll(() => byId('template-name').inputValue()).toBe('Sentiment (few-shot)');

    await byId('compare-with').click();
    await expect.poll(() => byId('variant-card').count()).toBe(2);
    // Longer outputs than the starter's one label, so the temperatures visibly differ.
    await byId('variant-max-tokens').first().fill('40');
    await byId('variant-stop').first().fill('');
    await byId('sweep-kind').selectOption('temperature');
    await byId('sweep-values').fill('0, 0.7, 1.2');
    await byId('sweep-apply').click();
    await expect.poll(() => byId('variant-card').count()).toBe(3);
    expect(await byId('variant-label').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['T=0', 'T=0.7', 'T=1.2']);
    expect(await byId('variant-temperature').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['0', '0.7', '1.2']);
    expect(await byId('variant-max-tokens').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value))).toEqual(['40', '40', '40']);
    // Reorder and relabel: move the last one first and back.
    const labels = () => byId('variant-label').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await byId('variant-left').nth(2).click();
    expect(await labels()).toEqual(['T=0', 'T=1.2', 'T=0.7']);
    await byId('variant-right').nth(1).click();
    expect(await labels()).toEqual(['T=0', 'T=0.7', 'T=1.2']);
    await byId('compare-name').fill(NAME);
    await byId('compare-seed').fill('42');
  });

  it('runs the variants at once, each column with its own metrics', async () => {
    const started = Date.now();
    await byId('compare-run').click();
    await expect.poll(() => byId('compare-column').count()).toBe(3);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
    console.log(`[compare e2e] 3 variants ran in ${Date.now() - started} ms`);
    expect(await byId('run-block').count()).toBe(3);
    for (const id of ['run-ttft', 'run-tps', 'run-prompt-tokens']) {
      const values = await byId(id).allTextContents();
      expect(values.every((v) => v !== '—' && v.trim() !== ''), `${id}: ${values}`).toBe(true);
    }
    expect((await byId('run-finish').allTextContents()).every((v) => /max tokens|end of text|stop string/.test(v))).toBe(true);
    const outputs = await byId('compare-output').allTextContents();
    expect(outputs.every((o) => o.length > 0)).toBe(true);
    // Temperature 0 is greedy: the designed bigram loops on its favourite answer.
    expect(outputs[0]).toMatch(/Positive|Negative/);
    expect(new Set(outputs).size).toBeGreaterThan(1);
  });

  it('shows the diff (words and tokens) with the first divergence and cross-probabilities', async () => {
    await expect.poll(() => byId('diff-view').count()).toBe(1);
    expect(await byId('diff-divergence').textContent()).toMatch(/First divergence at token #\d+/);
    expect(await page.locator('[data-testid="diff-text"] [data-op="remove"], [data-testid="diff-text"] [data-op="add"]').count()).toBeGreaterThan(0);
    await byId('diff-mode-token').click();
    expect(await page.locator('[data-testid="diff-text"] .seg-token').count()).toBeGreaterThan(0);
    await expect.poll(() => text('p-b-in-a'), { timeout: 20_000 }).toMatch(/%$/);
    await expect.poll(() => text('p-a-in-b'), { timeout: 20_000 }).toMatch(/%$/);
  });

  it('tints tokens by probability and shows the alternatives on hover', async () => {
    expect(await byId('compare-tint').isChecked()).toBe(true);
    expect(await page.locator('.cmp-columns .tint .tk').count()).toBeGreaterThan(10);
    await page.locator('[data-variant="a"] .tk').nth(1).hover();
    await expect.poll(() => byId('token-tooltip').count()).toBe(1);
    expect(await byId('token-probability').textContent()).toMatch(/%/);
  });

  it('forks from a token: a fourth column continues from the chosen alternative', async () => {
    await page.locator('[data-variant="a"] .tk').filter({ hasText: /\w/ }).nth(1).click();
    await expect.poll(() => byId('fork-menu').count()).toBe(1);
    expect(await byId('fork-alt').count()).toBeGreaterThan(0);
    await byId('fork-alt').first().click();
    await expect.poll(() => byId('compare-column').count()).toBe(4);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
    expect(await page.locator('[data-variant="a-f1"] [data-testid="column-label"]').textContent()).toMatch(/^T=0 @\d+→"/);
    expect((await page.locator('[data-variant="a-f1"] .cmp-forced').textContent())?.length).toBeGreaterThan(0);
  });

  it('rates, picks winners and saves', async () => {
    const blockB = page.locator('[data-testid="run-block"]').nth(1);
    await page.locator('[data-variant="a"] [data-testid="rate-down"]').click();
    await page.locator('[data-variant="b"] [data-testid="rate-up"]').click();
    await page.locator('[data-variant="b"] [data-testid="rate-star-4"]').click();
    await blockB.getByTestId('pick-winner').click();
    expect(await blockB.getByTestId('pick-winner').getAttribute('aria-pressed')).toBe('true');
    await byId('analysis-verdict').click();
    expect(await page.locator('[data-testid="tally-row"][data-variant="b"] [data-testid="tally-wins"]').textContent()).toBe('1');
    await byId('use-leader').click();
    expect(await byId('overall-winner').inputValue()).toBe('b');
    await byId('verdict-notes').fill('0.7 reads best.');
    await page.screenshot({ path: SCREENSHOT });
    await byId('compare-save').click();
    await expect.poll(() => text('compare-save-state')).toBe('saved');
  });

  it('reopens the comparison after a reload exactly as it was, and exports Markdown', async () => {
    const before = await byId('compare-output').allTextContents();
    await page.reload();
    await expect.poll(() => byId('model-select').textContent()).toMatch(/shotglass-demo\.gguf/);
    await byId('view-compare').click();
    await byId('compare-saved').click();
    await expect.poll(() => byId('saved-comparison').count()).toBe(1);
    expect(await byId('saved-comparison').textContent()).toContain(NAME);
    await byId('saved-comparison').click();
    await expect.poll(() => byId('compare-column').count()).toBe(4);
    expect(await byId('compare-output').allTextContents()).toEqual(before);
    expect(await byId('compare-title').inputValue()).toBe(NAME);
    expect(await page.locator('[data-variant="b"] [data-testid="rate-up"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-variant="b"] [data-testid="rate-star-4"]').getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('[data-variant="a"] [data-testid="rate-down"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-variant="b"] [data-testid="pick-winner"]').getAttribute('aria-pressed')).toBe('true');
    await byId('analysis-verdict').click();
    expect(await byId('overall-winner').inputValue()).toBe('b');
    expect(await byId('verdict-notes').inputValue()).toBe('0.7 reads best.');

    const [download] = await Promise.all([page.waitForEvent('download'), byId('export-markdown').click()]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain(`# ${NAME}`);
    expect(markdown).toContain('**Winner: T=0.7**');
    expect(markdown).toContain('T=1.2');
  });

  // Timing on a 2-core machine that the server, the inference process (streaming ~2,000 tokens/s
  // into the 4 columns) and Chromium saturate together: up to two retries, each with a fresh probe,
  // so one starved frame does not fail the build; a page that is really slow fails every attempt.
  it('stays responsive while 4 columns stream', { retry: 2 }, async () => {
    await byId('view-workbench').click();
    await byId('new-from-starter').click();
    await byId('starter-sentiment-few-shot').click();
    await expect.poll(() => byId('template-name').inputValue()).toBe('Sentiment (few-shot)');
    await byId('compare-with').click();
    // Low temperatures keep the demo model's columns streaming to the token budget: a stream of a
    // few hundred milliseconds would say little about responsiveness.
    await byId('variant-max-tokens').first().fill('400');
    await byId('variant-stop').first().fill('');
    await byId('sweep-values').fill('0.1, 0.2, 0.3, 0.4');
    await byId('sweep-apply').click();
    await expect.poll(() => byId('variant-card').count()).toBe(4);
    await page.evaluate(() => {
      const p = (window as unknown as { __probe: { armed: boolean; latencies: number[]; longTasks: number[]; pending: unknown[]; totals: object; skipped: number } }).__probe;
      Object.assign(p, { latencies: [], longTasks: [], pending: [], totals: {}, skipped: 0, armed: true });
    });
    const started = Date.now();
    await byId('compare-run').click();
    await expect.poll(() => byId('compare-column').count()).toBe(4);
    await expect.poll(allDone, { timeout: 90_000 }).toBe(true);
    const elapsed = Date.now() - started;
    const probe = await page.evaluate(() => {
      const p = (window as unknown as { __probe: { latencies: number[]; longTasks: number[]; pending: unknown[]; skipped: number; armed: boolean } }).__probe;
      p.armed = false;
      return { latencies: p.latencies, longTasks: p.longTasks, pending: p.pending.length, skipped: p.skipped };
    });
    const sorted = [...probe.latencies].sort((a, b) => a - b);
    const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? NaN;
    const tokens = (await byId('run-tokens').allTextContents()).map(Number);
    console.log(
      `[compare e2e] 4 columns streamed ${tokens.join('+')} tokens in ${elapsed} ms; ${sorted.length} deltas measured (${probe.skipped} before their column existed), ` +
        `delta→DOM median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${q(1).toFixed(1)} ms; ` +
        `long tasks: ${probe.longTasks.length} (max ${Math.max(0, ...probe.longTasks).toFixed(0)} ms)`,
    );
    // Deltas are batched per animation frame, so their number depends on the machine's speed.
    expect(sorted.length).toBeGreaterThanOrEqual(8);
    expect(probe.pending).toBe(0);
    expect(q(1)).toBeLessThan(50);
    expect(probe.longTasks.every((d) => d <= 100)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});

mkdirSync(join(ROOT, 'resources', 'screenshots'), { recursive: true });
