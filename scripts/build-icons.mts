// `npm run build:icons`: renders resources/icons/shotglass.svg to the PNG the packagers use
// (resources/build/icon.png, 512x512), with the same Chromium the tests use.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('resources/icons/shotglass.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.SHOTGLASS_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="512" height="512" ')}</body>`);
await page.screenshot({ path: 'resources/build/icon.png', omitBackground: true });
await browser.close();
console.log('resources/build/icon.png');
