// End-to-end harness: the browser-mode server (`node dist/node/server.mjs`, fresh data folder)
// and a page in a Chromium-family browser (scripts/test/chromium.ts), collecting page errors.
// Whatever fails on the way (no browser, a browser that cannot launch, a server that exits),
// everything started so far is stopped before the error reaches the test: no process outlives
// the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/test/chromium.js';
import { ROOT } from './backend.js';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** The browser to drive; a clear error (never a skip) when there is none. */
export function chromiumPath(): string {
  const found = findChromium();
  if (found.path) return found.path;
  throw new Error(found.error ?? 'no Chromium-family browser found: install Chromium or set SHOTGLASS_CHROMIUM (npm test installs one where it can)');
}

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

export interface BrowserModeOptions {
  pageOptions?: BrowserContextOptions;
  beforeLoad?: (page: Page) => Promise<void>;
  /** the browser to launch (default: chromiumPath()) */
  executablePath?: string;
  /** the data folder (default: a new temporary one) */
  dataDir?: string;
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function startServer(dataDir: string): { server: ChildProcess; url: Promise<string> } {
  const server = spawn(process.execPath, [join(ROOT, 'dist', 'node', 'server.mjs'), '--port', '0'], {
    env: { ...process.env, SHOTGLASS_GPU: 'cpu', SHOTGLASS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      // The printed address carries the per-launch token (?token=…); the first load moves it into a cookie.
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    server.once('error', reject);
  });
  return { server, url };
}

export async function openBrowserMode(options: BrowserModeOptions = {}): Promise<BrowserMode> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sg-e2e-'));
  const { server, url: serverUrl } = startServer(dataDir);
  let browser: Browser | undefined;
  try {
    const url = await serverUrl;
    // The browser carries the data folder in its environment too, so a leak of any of the three
    // processes can be found (test/e2e/harness.test.ts).
    browser = await chromium.launch({
      executablePath: options.executablePath ?? chromiumPath(),
      args: CHROMIUM_ARGS,
      env: { ...process.env, SHOTGLASS_DATA_DIR: dataDir },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options.pageOptions });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await options.beforeLoad?.(page);
    await page.goto(url);
    const opened = browser;
    return {
      url,
      dataDir,
      server,
      browser: opened,
      page,
      pageErrors,
      async close() {
        await opened.close().catch(() => {});
        await stopProcess(server);
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await stopProcess(server);
    throw error;
  }
}
