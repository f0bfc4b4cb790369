import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCsp, createAppUrlMatcher, isSafeExternalUrl } from '../../electron/app-url.js';
import { demoModelPath, hostEntryPath, preloadPath, rendererIndexCandidates, resolveAppLocation } from '../../electron/paths.js';
import { packagerIgnore, prunePlatformBinaries, runtimePackageDirs } from '../../build/electron/runtime-deps.js';

describe('app URL matcher', () => {
  it('accepts only the dev server origin in development', () => {
    const isApp = createAppUrlMatcher({ kind: 'dev-server', url: 'http://localhost:5173' });
    expect(isApp('http://localhost:5173/')).toBe(true);
    expect(isApp('http://localhost:5173/src/main.tsx?t=1#x')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('http://127.0.0.1:5173/')).toBe(false);
    expect(isApp('https://localhost:5173/')).toBe(false);
    expect(isApp('file:///index.html')).toBe(false);
    expect(isApp('not a url')).toBe(false);
  });

  it('accepts only files inside the renderer directory in production', () => {
    const isApp = createAppUrlMatcher({ kind: 'file', indexHtml: '/opt/app/renderer/index.html' }, 'linux');
    expect(isApp('file:///opt/app/renderer/index.html')).toBe(true);
    expect(isApp('file:///opt/app/renderer/index.html?x=1#/run')).toBe(true);
    expect(isApp('file:///opt/app/renderer/assets/index-abc.js')).toBe(true);
    expect(isApp('file:///opt/app/renderer-evil/index.html')).toBe(false);
    expect(isApp('file:///opt/app/renderer/../main.js')).toBe(false);
    expect(isApp('file:///opt/app/renderer/%2e%2e/main.js')).toBe(false);
    expect(isApp('file://evil-host/opt/app/renderer/index.html')).toBe(false);
    expect(isApp('https://opt/app/renderer/index.html')).toBe(false);
  });

  it('lets only https URLs out', () => {
    expect(isSafeExternalUrl('https://huggingface.co/models')).toBe(true);
    for (const url of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com', 'nonsense']) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });

  it('builds a CSP without inline scripts in production', () => {
    const csp = buildCsp({ kind: 'file', indexHtml: '/x/index.html' });
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).not.toContain('localhost');
  });
});

describe('shell paths', () => {
  const env = {
    buildDir: '/proj/.vite/build',
    appPath: '/proj',
    resourcesPath: '/Applications/Shotglass.app/Contents/Resources',
    rendererName: 'main_window',
  };

  it('finds preload and host next to main.js', () => {
    expect(preloadPath(env)).toBe('/proj/.vite/build/preload.js');
    expect(hostEntryPath(env)).toBe('/proj/.vite/build/host.js');
  });

  it('puts the demo model in the project in development and in Resources when packaged', () => {
    expect(demoModelPath({ ...env, isPackaged: false })).toBe('/proj/resources/models/shotglass-demo.gguf');
    expect(demoModelPath({ ...env, isPackaged: true })).toBe('/Applications/Shotglass.app/Contents/Resources/models/shotglass-demo.gguf');
  });

  it('prefers the dev server, then forge’s renderer output, then dist/renderer', () => {
    const exists = (set: string[]) => (p: string) => set.includes(p);
    expect(resolveAppLocation({ ...env, isPackaged: false, devServerUrl: 'http://localhost:5173', exists: () => false })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173',
    });
    const [forgeOut, distOut] = rendererIndexCandidates(env);
    expect(forgeOut).toBe('/proj/.vite/renderer/main_window/index.html');
    expect(distOut).toBe('/proj/dist/renderer/index.html');
    expect(resolveAppLocation({ ...env, isPackaged: true, exists: exists([forgeOut!, distOut!]) })).toEqual({ kind: 'file', indexHtml: forgeOut });
    expect(resolveAppLocation({ ...env, isPackaged: true, exists: exists([distOut!]) })).toEqual({ kind: 'file', indexHtml: distOut });
    expect(() => resolveAppLocation({ ...env, isPackaged: true, exists: () => false })).toThrow(/interface is missing/);
  });
});

describe('runtime packaging', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotglass-shell-'));
    dirs.push(dir);
    return dir;
  };
  const pkg = (dir: string, name: string, deps: Record<string, string> = {}, optional: Record<string, string> = {}) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, dependencies: deps, optionalDependencies: optional }));
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('collects the dependency closure of the external packages, Node-style', () => {
    const root = tmp();
    pkg(root, 'shotglass', { react: '1', 'node-llama-cpp': '3', ws: '8' });
    const nm = join(root, 'node_modules');
    pkg(join(nm, 'node-llama-cpp'), 'node-llama-cpp', { chalk: '4', semver: '7' }, { '@node-llama-cpp/linux-x64': '3', '@node-llama-cpp/mac-x64': '3' });
    pkg(join(nm, '@node-llama-cpp', 'linux-x64'), '@node-llama-cpp/linux-x64');
    pkg(join(nm, 'chalk'), 'chalk', { 'ansi-styles': '4' });
    pkg(join(nm, 'ansi-styles'), 'ansi-styles');
    // A nested copy wins over the hoisted one for its parent.
    pkg(join(nm, 'node-llama-cpp', 'node_modules', 'semver'), 'semver');
    pkg(join(nm, 'semver'), 'semver-hoisted');
    pkg(join(nm, 'ws'), 'ws');
    pkg(join(nm, 'react'), 'react', { 'loose-envify': '1' });
    pkg(join(nm, 'loose-envify'), 'loose-envify');

    expect([...runtimePackageDirs(root)].sort()).toEqual([
      'node_modules/@node-llama-cpp/linux-x64',
      'node_modules/ansi-styles',
      'node_modules/chalk',
      'node_modules/node-llama-cpp',
      'node_modules/node-llama-cpp/node_modules/semver',
      'node_modules/ws',
    ]);
  });

  it('ignores everything but .vite, dist/renderer, package.json and the runtime packages', () => {
    const ignore = packagerIgnore(new Set(['node_modules/node-llama-cpp', 'node_modules/@node-llama-cpp/linux-x64']));
    const kept = ['', '/package.json', '/.vite', '/.vite/build/main.js', '/dist', '/dist/renderer/index.html', '/node_modules',
      '/node_modules/node-llama-cpp/dist/index.js', '/node_modules/@node-llama-cpp', '/node_modules/@node-llama-cpp/linux-x64/bins/x.node'];
    const dropped = ['/electron/main.ts', '/dist/node/server.mjs', '/node_modules/react/index.js', '/node_modules/node-llama-cpp-evil/x.js',
      '/node_modules/@node-llama-cpp/mac-x64/bins/x', '/resources/models/shotglass-demo.gguf', '/test', '/package-lock.json'];
    for (const file of kept) expect([file, ignore(file)]).toEqual([file, false]);
    for (const file of dropped) expect([file, ignore(file)]).toEqual([file, true]);
  });

  it('prunes other platforms’ llama.cpp binaries from a packaged app', () => {
    const app = tmp();
    const scoped = join(app, 'node_modules', '@node-llama-cpp');
    for (const name of ['linux-x64', 'linux-x64-cuda', 'linux-arm64', 'mac-arm64-metal', 'win-x64']) pkg(join(scoped, name), name);
    const bins = join(app, 'node_modules', 'node-llama-cpp', 'bins');
    mkdirSync(bins, { recursive: true });
    writeFileSync(join(bins, '_linux-arm64.moved.txt'), '');
    mkdirSync(join(bins, 'linux-arm64'));
    mkdirSync(join(bins, 'linux-x64'));

    const removed = prunePlatformBinaries(app, 'linux', 'x64');
    expect(readdirSync(scoped).sort()).toEqual(['linux-x64', 'linux-x64-cuda']);
    expect(readdirSync(bins).sort()).toEqual(['_linux-arm64.moved.txt', 'linux-x64']);
    expect(removed).toContain('node_modules/@node-llama-cpp/mac-arm64-metal');

    prunePlatformBinaries(app, 'darwin', 'arm64');
    expect(readdirSync(scoped)).toEqual([]);
  });
});

// File systems on macOS and Windows are case-insensitive by default: so is the matcher there.
it('folds case for file URLs on win32/darwin', () => {
  const isApp = createAppUrlMatcher({ kind: 'file', indexHtml: '/Opt/App/renderer/index.html' }, 'darwin');
  expect(isApp(pathToFileURL('/opt/app/Renderer/index.html').href)).toBe(true);
});
