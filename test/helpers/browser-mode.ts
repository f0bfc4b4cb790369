// End-to-end harness: the browser-mode server (`node dist/node/server.mjs`, fresh data folder)
// and a page in Debian's Chromium, collecting page errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { ROOT } from './backend.js';

export const CHROMIUM = process.env.SHOTGLASS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface BrowserMode {
  url: string;
  dataDir: string;
  server: ChildProcess;
  browser: Browser;
  page: Page;
  /** uncaught page errors and console errors, in order */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowserMode(
  options: { pageOptions?: BrowserContextOptions; beforeLoad?: (page: Page) => Promise<void> } = {},
): Promise<BrowserMode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
  const server = spawn(process.execPath, [join(ROOT, 'dist', 'node', 'server.mjs'), '--port', '0'], {
    env: { ...process.env, SHOTGLASS_GPU: 'cpu', SHOTGLASS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      // The printed address carries the per-launch token (?token=…); the first load moves it into a cookie.
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options.pageOptions });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await options.beforeLoad?.(page);
  await page.goto(url);
  return {
    url,
    dataDir,
    server,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      server.kill('SIGTERM');
    },
  };
}
