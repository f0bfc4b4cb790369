// Electron's npm package is small (types, a launcher, install.js); its binary is downloaded by
// install.js from Electron's release host. Where that host cannot be reached, npm drops the
// optional package whole. This puts the package back, without the binary and without running
// install.js again, which is exactly the state ELECTRON_SKIP_BINARY_DOWNLOAD=1 leaves.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Electron version the lock file pins (or package.json's range when there is no lock). */
function pinnedVersion(rootDir) {
  try {
    const lock = JSON.parse(readFileSync(join(rootDir, 'package-lock.json'), 'utf8'));
    const version = lock.packages?.['node_modules/electron']?.version;
    if (version) return version;
  } catch {
    // no lock file: fall through to package.json
  }
  const pkg = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8'));
  return pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron;
}

function npm(args, cwd) {
  // npm sets npm_execpath for lifecycle scripts; run the same npm with the same Node.
  const npmCli = process.env.npm_execpath;
  if (npmCli && npmCli.endsWith('.js')) return execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8' });
  return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, encoding: 'utf8', shell: process.platform === 'win32' });
}

/**
 * @returns 'present' (npm installed it), 'restored' (npm dropped it; put back without a binary)
 *          or 'missing' (npm dropped it and it could not be put back)
 */
export function restoreElectronPackage(root) {
  const rootDir = fileURLToPath(root);
  const target = join(rootDir, 'node_modules', 'electron');
  if (existsSync(join(target, 'package.json'))) return 'present';
  const version = pinnedVersion(rootDir);
  if (!version) return 'missing';
  const scratch = mkdtempSync(join(tmpdir(), 'shotglass-electron-'));
  try {
    const packed = JSON.parse(npm(['pack', `electron@${version}`, '--json', '--silent', '--pack-destination', scratch], scratch));
    const tarball = join(scratch, packed[0].filename);
    mkdirSync(target, { recursive: true });
    // tar ships with Linux, macOS and Windows 10+; the tarball's files sit under package/.
    execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { stdio: 'ignore' });
    return readdirSync(target).includes('electron.d.ts') ? 'restored' : 'missing';
  } catch {
    rmSync(target, { recursive: true, force: true });
    return 'missing';
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
