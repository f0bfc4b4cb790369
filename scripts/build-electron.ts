// Builds exactly what `electron-forge package` bundles (main, preload and host into .vite/build;
// the renderer) without packaging, so electron-builder can make installers from it.
// Usage: tsx scripts/build-electron.ts [--no-renderer]
import { rmSync } from 'node:fs';
import ViteConfigGenerator from '@electron-forge/plugin-vite/dist/ViteConfig.js';
import { build, type InlineConfig } from 'vite';
import forgeConfig from '../forge.config';

async function main(): Promise<void> {
  const vitePlugin = forgeConfig.plugins?.find((plugin) => (plugin as { name?: string }).name === 'vite') as unknown as {
    config: ConstructorParameters<typeof ViteConfigGenerator>[0];
  };
  const generator = new ViteConfigGenerator(vitePlugin.config, process.cwd(), true);
  rmSync('.vite', { recursive: true, force: true });
  const configs: InlineConfig[] = [
    ...(await generator.getBuildConfigs()),
    ...(process.argv.includes('--no-renderer') ? [] : await generator.getRendererConfig()),
  ];
  for (const config of configs) await build({ configFile: false, logLevel: 'warn', ...config });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
