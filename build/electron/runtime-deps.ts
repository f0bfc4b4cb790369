// Which installed packages a packaged app needs at run time. Main, preload and host are bundled
// by Vite, except node-llama-cpp (ESM, native binaries) and ws, which stay external and so must be
// copied into the app with everything they depend on. Used by forge.config.ts, whose Vite plugin
// would otherwise ship .vite/ alone (no node_modules at all).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Packages loaded at run time with require/import() from the bundles (see vite.*.config.ts). */
export const RUNTIME_EXTERNAL_PACKAGES = ['node-llama-cpp', 'ws', 'better-sqlite3'] as const;

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The installed package directories (relative to `projectDir`, '/'-separated, e.g.
 * `node_modules/@node-llama-cpp/linux-x64`) reachable from `roots` through dependencies and
 * optionalDependencies, resolved the way Node does (nearest node_modules upwards). Optional
 * packages that are not installed (other platforms' binaries) are skipped.
 */
export function runtimePackageDirs(projectDir: string, roots: readonly string[] = RUNTIME_EXTERNAL_PACKAGES): Set<string> {
  const found = new Set<string>();
  const queue: Array<{ name: string; from: string }> = roots.map((name) => ({ name, from: projectDir }));
  while (queue.length) {
    const { name, from } = queue.shift()!;
    const dir = resolvePackageDir(projectDir, from, name);
    if (!dir) continue;
    const key = relative(projectDir, dir).split(sep).join('/');
    if (found.has(key)) continue;
    found.add(key);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      queue.push({ name: dep, from: dir });
    }
  }
  return found;
}

function resolvePackageDir(projectDir: string, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === projectDir) return null;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * An @electron/packager `ignore` function keeping the Vite output (.vite/, and dist/renderer/ where
 * the renderer config puts the UI when its outDir wins over forge's), package.json and the runtime
 * packages, plus the directories leading to them; everything else in the project is left out.
 * Paths come in '/'-prefixed, relative to the project.
 */
export function packagerIgnore(
  keptPackageDirs: Set<string>,
  keptPaths: readonly string[] = ['.vite', 'dist/renderer', 'package.json'],
): (file: string) => boolean {
  const kept = [...keptPaths, ...keptPackageDirs];
  return (file: string): boolean => {
    if (!file) return false;
    const path = file.replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/+$/, '');
    if (!path) return false;
    // Inside something kept, or a directory on the way to it (dist, node_modules, @scope, ...).
    return !kept.some((dir) => path === dir || path.startsWith(dir + '/') || dir.startsWith(path + '/'));
  };
}

const OS_NAMES: Partial<Record<string, string>> = { darwin: 'mac', win32: 'win', linux: 'linux' };

/**
 * After packaging for one platform/arch, delete the llama.cpp binaries of the others (npm installs
 * several: e.g. @node-llama-cpp/linux-arm64 also installs on x64). Keeps `<os>-<arch>*` (CUDA and
 * Vulkan variants included), the same rule as electron-builder.yml's `files`. Returns what it removed.
 */
export function prunePlatformBinaries(appDir: string, platform: string, arch: string): string[] {
  const os = OS_NAMES[platform];
  if (!os) return [];
  const keep = (name: string) => name.startsWith(`${os}-${arch}`);
  const removed: string[] = [];
  const prune = (dir: string, match: (name: string) => string | null) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const name = match(entry);
      if (name === null || keep(name)) continue;
      rmSync(join(dir, entry), { recursive: true, force: true });
      removed.push(relative(appDir, join(dir, entry)).split(sep).join('/'));
    }
  };
  const asIs = (entry: string) => entry;
  prune(join(appDir, 'node_modules', '@node-llama-cpp'), asIs);
  prune(join(appDir, 'node_modules', 'node-llama-cpp', 'bins'), (entry) => (entry.startsWith('_') ? null : entry));
  prune(join(appDir, 'node_modules', 'node-llama-cpp', 'llama', 'localBuilds'), asIs);
  return removed;
}
