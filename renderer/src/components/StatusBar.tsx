// Bottom line: the inference process's state, what it runs on, and what kind of app this is.
import { backendLabel, formatBytes } from '../lib/format';
import { useActions, useAppStore } from '../store';

const HOST_WORDS = {
  starting: 'starting',
  ready: 'ready',
  crashed: 'crashed',
  stopped: 'stopped',
} as const;

export function StatusBar() {
  const host = useAppStore((s) => s.app.host);
  const info = useAppStore((s) => s.app.info);
  return (
    <footer className="status-bar">
      <span className={`host-status host-status-${host.status ?? 'unknown'}`} data-testid="host-status">
        <span className="state-dot" aria-hidden />
        inference process: {host.status ? HOST_WORDS[host.status] : 'idle'}
        {host.message ? <span className="host-message"> — {host.message}</span> : null}
      </span>
      <span className="status-spacer" />
      <SystemLine />
      {info && (
        <span className="app-info">
          Shotglass {info.version} · {info.mode === 'browser' ? 'browser mode' : 'desktop'} · {info.platform}
        </span>
      )}
    </footer>
  );
}

const ADDONS = {
  shotglass: {
    label: 'Shotglass addon',
    title: "Shotglass's own llama.cpp addon: a persistent threadpool, top-N probabilities and prompts shared between runs",
  },
  stock: {
    label: 'stock node-llama-cpp addon',
    title:
      "node-llama-cpp's prebuilt addon: it starts and joins its worker threads on every token, so it is slower at 2 or more threads " +
      "(and automatic threads leave one core free). In a source checkout, `npm run build:addon` builds Shotglass's.",
  },
} as const;

/** Service, cores, free memory and the native addon; nothing at all until the host has answered. */
function SystemLine() {
  const system = useAppStore((s) => s.app.system);
  if (!system) return null;
  const addon = ADDONS[system.nativeAddon] ?? ADDONS.stock;
  const asked = system.requestedAccelerator !== 'auto' && system.requestedAccelerator !== system.backend ? ` (asked for ${system.requestedAccelerator})` : '';
  const facts = [
    backendLabel(system),
    `${system.cpuCores} ${system.cpuCores === 1 ? 'core' : 'cores'}`,
    `RAM ${formatBytes(system.ram.free)} free`,
    system.vram.total > 0 ? `VRAM ${formatBytes(system.vram.free)} free` : null,
  ];
  return (
    <span className="system-info" data-testid="system-info" title={`node-llama-cpp ${system.nodeLlamaCpp} · llama.cpp ${system.llamaCpp}${asked} · free memory as last reported`}>
      {facts.filter(Boolean).join(' · ')} ·{' '}
      <span className={`addon addon-${system.nativeAddon}`} data-testid="native-addon" title={addon.title}>
        {addon.label}
      </span>
    </span>
  );
}

/** Shown instead of a dead screen when the backend cannot be reached. */
export function ConnectionBanner() {
  const connection = useAppStore((s) => s.app.connection);
  const error = useAppStore((s) => s.app.connectionError);
  const { init } = useActions();
  if (connection !== 'error') return null;
  return (
    <div className="banner" role="alert" data-testid="connection-error">
      <span>Cannot reach the Shotglass backend: {error}</span>
      <button type="button" className="btn" onClick={() => void init()}>
        Retry
      </button>
    </div>
  );
}
