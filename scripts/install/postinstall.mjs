// `npm install`'s last step for Shotglass itself. Each step says what it does in one line, and
// none can fail the install on a machine that reaches the npm registry: a newcomer's
// `npm install && npm start` must work with no environment variable and no other step.
//   1. Electron is an optional dependency, so a machine that cannot download its binary still
//      installs (npm drops the package); the package itself (types, launcher, no binary) is put
//      back from the npm registry so the desktop shell still type-checks. `npm start` then
//      serves the app in the browser.
//   2. Shotglass's build of node-llama-cpp's addon (build/native; falls back to the stock one).
//   3. The bundles: the CLI, the browser-mode server and the inference host (dist/node), and
//      the renderer (dist/renderer), so `npx shotglass` and `npm start` need no build step.
import { spawnSync } from 'node:child_process';
import { restoreElectronPackage } from './electron-package.mjs';

const root = new URL('../..', import.meta.url);

function step(label, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stdout.write(`[shotglass] ${label} failed (exit ${result.status}); it is retried on first use\n`);
  }
}

const electron = restoreElectronPackage(root);
if (electron === 'restored') {
  process.stdout.write(
    "[shotglass] Electron's binary could not be downloaded on this machine, so the desktop shell is unavailable here: `npm start` opens Shotglass in your browser instead.\n",
  );
} else if (electron === 'missing') {
  process.stdout.write(
    '[shotglass] Electron is not installed, so the desktop shell is unavailable here: `npm start` opens Shotglass in your browser instead.\n',
  );
}
step('the native addon build', ['build/native/build-addon.mjs']);
step('the build', ['scripts/build.mjs']);
