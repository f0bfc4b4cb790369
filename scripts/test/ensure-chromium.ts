// First step of `npm test`: make sure the end-to-end tests have a browser (see chromium.ts).
// Without one, the test command stops here, before running anything, and its closing line
// counts the missing browser as a failure.
import { canInstallChromium, findChromium, installChromium } from './chromium.js';

function stop(message: string): never {
  process.stderr.write(`${message}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

const found = findChromium();
if (found.error) stop(`npm test: ${found.error}`);
if (!found.path) {
  if (!canInstallChromium()) {
    stop(
      'npm test: the end-to-end tests need a Chromium-family browser: install Chromium, Google Chrome or Microsoft Edge, or set SHOTGLASS_CHROMIUM to one',
    );
  }
  process.stdout.write("npm test: no Chromium-family browser here; installing Debian's chromium for the end-to-end tests (apt-get install chromium)…\n");
  try {
    installChromium();
  } catch (error) {
    stop(`npm test: installing chromium failed (${(error as Error).message.split('\n')[0]}); install Chromium yourself or set SHOTGLASS_CHROMIUM`);
  }
  const after = findChromium();
  if (!after.path) stop('npm test: chromium was installed but cannot be found; set SHOTGLASS_CHROMIUM to its path');
  process.stdout.write(`npm test: end-to-end tests will use ${after.path}\n`);
}
