// Opens a URL in the user's default browser for `npm start` in browser mode. Only where a person
// can see it: on Linux, only with a display; never in CI. A failure is silent: the URL is printed.
import { spawn } from 'node:child_process';

export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (env.CI) return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function openBrowser(url: string): void {
  if (!canOpenBrowser()) return;
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // The URL is on the terminal already.
  }
}
