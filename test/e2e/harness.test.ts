// No process outlives the tests: whatever fails while the end-to-end harness starts (a browser
// that cannot launch, a setup step that throws), the server and the inference process it started
// are gone before the error reaches the test. Processes are found by the data folder in their
// environment, which the server, the inference process and the browser all carry (Linux's /proc).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBrowserMode } from '../helpers/browser-mode.js';

function processesWithDataDir(dataDir: string): number[] {
  const needle = `SHOTGLASS_DATA_DIR=${dataDir}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return pids;
}

async function noneLeft(dataDir: string): Promise<number[]> {
  // A child that was SIGKILLed may take a moment to be reaped.
  for (let i = 0; i < 50 && processesWithDataDir(dataDir).length; i++) await new Promise((r) => setTimeout(r, 100));
  return processesWithDataDir(dataDir);
}

describe.runIf(process.platform === 'linux')('end-to-end harness cleanup (reads /proc)', () => {
  it('leaves no process when the browser cannot launch', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sg-harness-'));
    await expect(openBrowserMode({ dataDir, executablePath: join(dataDir, 'no-such-browser') })).rejects.toThrow();
    expect(await noneLeft(dataDir)).toEqual([]);
  });

  it('leaves no process when a setup step throws after the browser started', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sg-harness-'));
    let browserStarted = false;
    const failing = async () => {
      browserStarted = processesWithDataDir(dataDir).length >= 2;
      throw new Error('setup failed on purpose');
    };
    await expect(openBrowserMode({ dataDir, beforeLoad: failing })).rejects.toThrow('setup failed on purpose');
    expect(browserStarted).toBe(true);
    expect(await noneLeft(dataDir)).toEqual([]);
  });

  it('leaves no process after a normal close, inference process included', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sg-harness-'));
    const session = await openBrowserMode({ dataDir });
    // The page asks for system info at load, which starts the inference process.
    await session.page.waitForFunction(() => document.body.innerText.includes('CPU'), undefined, { timeout: 30_000 });
    expect(processesWithDataDir(dataDir).length).toBeGreaterThanOrEqual(2);
    await session.close();
    expect(await noneLeft(dataDir)).toEqual([]);
  });
});
