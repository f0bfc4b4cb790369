// Finds a Chromium-family browser for the end-to-end tests where users have one, and on a
// Debian/Ubuntu machine running as root (CI, a fresh container) installs Debian's `chromium`.
// The end-to-end tests are never skipped: with no browser, `npm test` stops before running
// anything and names what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];

function macApps(): string[] {
  const apps = [
    'Google Chrome.app/Contents/MacOS/Google Chrome',
    'Chromium.app/Contents/MacOS/Chromium',
    'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ];
  return ['/Applications', join(homedir(), 'Applications')].flatMap((dir) => apps.map((app) => join(dir, app)));
}

function windowsApps(env: NodeJS.ProcessEnv): string[] {
  const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
  const apps = [
    ['Google', 'Chrome', 'Application', 'chrome.exe'],
    ['Chromium', 'Application', 'chrome.exe'],
    ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
  ];
  return roots.flatMap((root) => apps.map((app) => join(root, ...app)));
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return ON_PATH.flatMap((name) => dirs.map((dir) => join(dir, name)));
}

export interface ChromiumSearch {
  path?: string;
  /** set when SHOTGLASS_CHROMIUM names something that is not an executable */
  error?: string;
}

/** The browser the end-to-end tests drive: SHOTGLASS_CHROMIUM, else the first one installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ChromiumSearch {
  const chosen = env.SHOTGLASS_CHROMIUM;
  if (chosen) {
    return existsSync(chosen) && executable(chosen)
      ? { path: chosen }
      : { error: `SHOTGLASS_CHROMIUM names ${chosen}, which is not an executable browser` };
  }
  const candidates = platform === 'darwin' ? macApps() : platform === 'win32' ? windowsApps(env) : ['/usr/bin/chromium', ...onPath(env), '/snap/bin/chromium'];
  const path = candidates.find((c) => existsSync(c) && (platform === 'win32' || executable(c)));
  return path ? { path } : {};
}

/** Debian or Ubuntu, as root, with apt-get: the one case where installing needs nobody's consent. */
export function canInstallChromium(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const family = /^ID(?:_LIKE)?=(.*)$/gm;
    const ids = [...release.matchAll(family)].flatMap((m) => m[1]!.replace(/"/g, '').split(/\s+/));
    if (!ids.some((id) => id === 'debian' || id === 'ubuntu')) return false;
  } catch {
    return false;
  }
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

export function installChromium(): void {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
