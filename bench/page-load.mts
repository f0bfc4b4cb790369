// Page load in browser mode: from navigation start to the first usable screen (the demo model
// selected, the starter template in the workbench, Run enabled), and to the template editors
// (Monaco) being on screen. Each load is a fresh browser context (no cache), on the built app
// (`npm run build` first). Prints the median of RUNS loads (default 7) and the JavaScript
// transferred. Usage: npx tsx bench/page-load.mts [runs]
// SHOTGLASS_SERVER=path/to/dist/node/server.mjs measures another build (e.g. a copy of the
// package root with an older dist/renderer), for a before/after on the same machine.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { median } from './lib.mjs';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 7);
const CHROMIUM = process.env.SHOTGLASS_CHROMIUM ?? '/usr/bin/chromium';

const dataDir = mkdtempSync(join(tmpdir(), 'sg-pageload-'));
const server = spawn(process.execPath, [process.env.SHOTGLASS_SERVER ?? join(ROOT, 'dist', 'node', 'server.mjs'), '--port', '0'], {
  env: { ...process.env, SHOTGLASS_GPU: 'cpu', SHOTGLASS_DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  server.stdout!.on('data', (chunk) => {
    out += chunk;
    const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (match) resolve(match[1]!);
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
const usable: number[] = [];
const editors: number[] = [];
let scriptBytes = 0;
try {
  // One warm-up load (the server's first model load, the OS file cache), not counted.
  for (let i = 0; i <= RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    let bytes = 0;
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script') bytes += (await response.body().catch(() => Buffer.alloc(0))).length;
    });
    await page.goto(url, { waitUntil: 'commit' });
    // Polled every animation frame: performance.now() counts from the navigation's start.
    const ready = await page.waitForFunction(
      () => {
        const run = document.querySelector<HTMLButtonElement>('[data-testid="run-button"]');
        const model = document.querySelector('[data-testid="model-select"]')?.textContent ?? '';
        const name = document.querySelector<HTMLInputElement>('[data-testid="template-name"]')?.value ?? '';
        return run && !run.disabled && /shotglass-demo/.test(model) && name ? performance.now() : false;
      },
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    const tUsable = (await ready.jsonValue()) as number;
    const monaco = await page.waitForFunction(() => (document.querySelector('.monaco-editor') ? performance.now() : false), undefined, { polling: 'raf', timeout: 30_000 });
    const tEditors = (await monaco.jsonValue()) as number;
    if (i > 0) {
      usable.push(tUsable);
      editors.push(tEditors);
      scriptBytes = bytes;
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
console.log(`page load over ${RUNS} fresh loads: first usable screen ${fmt(usable)}; template editors ${fmt(editors)}; JavaScript ${(scriptBytes / 1e6).toFixed(2)} MB`);
