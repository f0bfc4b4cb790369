#!/usr/bin/env node
// The `shotglass` command. The TypeScript sources are bundled by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/node/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('shotglass: not built yet; run `npm run build` in the Shotglass folder first\n');
  process.exit(1);
}
await import(cli.href);
