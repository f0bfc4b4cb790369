// `npm run serve`: the whole app in a browser, on the bundled demo model.
//   --port N (default 5170; 0 picks a free port)   SHOTGLASS_GPU=cpu|cuda|vulkan|metal|auto
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createService } from '../../service/service.js';
import { defaultDemoModelPath, defaultHostEntry, packageRoot, spawnNodeHost } from '../../service/inference/node-host.js';
import { defaultDataDir } from '../../service/workspace.js';
import { startServer } from './server.js';

const root = packageRoot();
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = Number(portArg >= 0 ? args[portArg + 1] : (process.env.PORT ?? 5170));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`shotglass: --port must be a whole number from 0 to 65535`);
  process.exit(2);
}

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const backend = createService({
  mode: 'browser',
  spawnHost: spawnNodeHost(defaultHostEntry(root)),
  demoModelPath: defaultDemoModelPath(root),
  version,
  dataDir: defaultDataDir(),
});

try {
  const server = await startServer({ backend, staticDir: join(root, 'dist', 'renderer'), port });
  console.log(`Shotglass is running at ${server.url}  (Ctrl+C to stop)`);
  const stop = async () => {
    await server.close();
    await backend.dispose();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  console.error(
    e.code === 'EADDRINUSE' ? `shotglass: port ${port} is in use; try --port 0 for a free one` : `shotglass: ${e.message}`,
  );
  await backend.dispose();
  process.exit(1);
}
