// `npm start`: the desktop app where Electron's binary is installed; otherwise the same app in
// the browser (browser mode on 127.0.0.1), which runs until Ctrl+C. Both open the demo model.
//   npm start -- --browser    browser mode even where Electron is installed
//   npm start -- --port N     browser mode's port (default 5170; 0 picks a free one)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The Electron executable, or undefined when only the package (no binary) is installed. Read from
 * the package's files, never through require('electron'): Electron's index.js tries to download a
 * missing binary on the spot, which fails loudly where its release host cannot be reached.
 */
function electronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  let name;
  try {
    name = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!name) return undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const path = override ? join(override, name) : join(dir, 'dist', name);
  return existsSync(path) ? path : undefined;
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command !== process.execPath });
  // Ctrl+C reaches the child through the terminal; a SIGTERM sent to this script is passed on.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGINT', () => {});
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');
const serverArgs = args.filter((a) => a !== '--browser');

if (!forceBrowser && electronBinary()) {
  const forge = require.resolve('@electron-forge/cli/dist/electron-forge.js');
  run(process.execPath, [forge, 'start', ...args]);
} else {
  process.stdout.write(
    forceBrowser
      ? 'Starting Shotglass in your browser.\n'
      : "Electron's desktop shell is not installed on this machine; starting Shotglass in your browser instead.\n",
  );
  // Built on every start (about 5 s), so the app served is always the checkout's.
  const { buildAll } = await import('./build.mjs');
  await buildAll();
  run(process.execPath, ['dist/node/server.mjs', '--open', ...serverArgs]);
}
