// Browser discovery for the end-to-end tests (scripts/test/chromium.ts): SHOTGLASS_CHROMIUM
// first, then the usual places on each platform, never a non-executable file.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/test/chromium.js';

function fakeBrowser(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

describe('findChromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-chromium-'));

  it('takes SHOTGLASS_CHROMIUM when it names an executable', () => {
    const path = fakeBrowser(dir, 'my-chrome');
    expect(findChromium({ SHOTGLASS_CHROMIUM: path }, 'linux')).toEqual({ path });
  });

  it('says so when SHOTGLASS_CHROMIUM names nothing usable, instead of looking elsewhere', () => {
    const notExecutable = fakeBrowser(dir, 'not-executable', 0o644);
    expect(findChromium({ SHOTGLASS_CHROMIUM: notExecutable }, 'linux').error).toContain(notExecutable);
    expect(findChromium({ SHOTGLASS_CHROMIUM: join(dir, 'missing') }, 'linux').error).toContain('not an executable browser');
  });

  it.runIf(process.platform === 'linux')('finds chromium-browser or google-chrome on PATH', () => {
    const bin = join(dir, 'bin');
    const chrome = fakeBrowser(bin, 'google-chrome');
    const found = findChromium({ PATH: bin }, 'linux');
    // /usr/bin/chromium is first where it is installed; otherwise the one on PATH.
    expect([chrome, '/usr/bin/chromium']).toContain(found.path);
  });

  it('looks in Program Files and LOCALAPPDATA on Windows', () => {
    const local = join(dir, 'LocalAppData');
    const chrome = fakeBrowser(join(local, 'Google', 'Chrome', 'Application'), 'chrome.exe');
    expect(findChromium({ LOCALAPPDATA: local }, 'win32')).toEqual({ path: chrome });
    expect(findChromium({ LOCALAPPDATA: join(dir, 'empty') }, 'win32')).toEqual({});
  });
});
