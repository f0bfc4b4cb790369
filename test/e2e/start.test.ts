// `npm start` where Electron's binary is not installed (this machine): browser mode on
// 127.0.0.1, one line saying so, the URL printed, the demo model loaded and a prompt completed
// in a real browser, and nothing left running after Ctrl+C (SIGINT to the process group, as a
// terminal sends it) or SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/backend.js';
import { CHROMIUM_ARGS, chromiumPath, stopProcess } from '../helpers/browser-mode.js';

const electronBinaryInstalled = (() => {
  try {
    return readdirSync(join(ROOT, 'node_modules', 'electron', 'dist')).length > 0;
  } catch {
    return false;
  }
})();

function start(dataDir: string, extra: string[]): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--port', '0', ...extra], {
    cwd: ROOT,
    env: { ...process.env, SHOTGLASS_GPU: 'cpu', SHOTGLASS_DATA_DIR: dataDir, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so the test can send Ctrl+C as a terminal does
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)));
  });
  return { child, output: () => out, url };
}

function processesWithDataDir(dataDir: string): number[] {
  const needle = `SHOTGLASS_DATA_DIR=${dataDir}\0`;
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/environ`, 'latin1').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

let browser: Browser | undefined;
const children: ChildProcess[] = [];
afterAll(async () => {
  await browser?.close();
  for (const c of children) await stopProcess(c);
});

describe('npm start without Electron', () => {
  it('serves the app in the browser, where the demo model completes a prompt; Ctrl+C stops everything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sg-start-'));
    // On a machine with Electron's binary, --browser asks for the same path.
    const { child, output, url } = start(dataDir, electronBinaryInstalled ? ['--browser'] : []);
    children.push(child);
    const address = await url;
    if (!electronBinaryInstalled) expect(output()).toContain("Electron's desktop shell is not installed on this machine; starting Shotglass in your browser instead.");
    // Finding out must not try (and fail, loudly) to download Electron's binary.
    expect(output()).not.toMatch(/Downloading Electron|Error/);
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);

    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.goto(address);
    await expect.poll(() => page.getByTestId('model-select').textContent(), { timeout: 30_000 }).toMatch(/shotglass-demo\.gguf/);
    await page.getByTestId('tab-raw').click();
    await page.waitForFunction(() => typeof (window as unknown as { __shotglassSetPrompt?: unknown }).__shotglassSetPrompt === 'function');
    await page.evaluate(() => (window as unknown as { __shotglassSetPrompt(t: string): void }).__shotglassSetPrompt('Q: Hi\nA:'));
    await page.getByTestId('max-tokens-input').fill('4');
    await page.getByTestId('run-button').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/done/);
    expect(((await page.getByTestId('output').textContent()) ?? '').length).toBeGreaterThan(0);
    expect(await page.getByTestId('model-state').textContent()).toMatch(/loaded/);
    await browser.close();
    browser = undefined;

    expect(processesWithDataDir(dataDir).length).toBeGreaterThanOrEqual(2); // server + inference process
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    for (let i = 0; i < 50 && processesWithDataDir(dataDir).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesWithDataDir(dataDir)).toEqual([]);
  });
});
