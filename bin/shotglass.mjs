#!/usr/bin/env node
// The `shotglass` command. `npm install` bundles the TypeScript sources into dist/node; where that
// step did not run (e.g. `npm install --ignore-scripts`), the first use builds them, saying so.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/node/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('shotglass: building the command line (first use, a few seconds)…\n');
  try {
    const { buildNode } = await import('../scripts/build-node.mjs');
    await buildNode();
  } catch (error) {
    process.stderr.write(`shotglass: the build failed (${error.message.split('\n')[0]}); run \`npm install\` in the Shotglass folder\n`);
    process.exit(1);
  }
}
await import(cli.href);
