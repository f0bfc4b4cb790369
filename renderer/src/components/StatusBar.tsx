// Bottom line: the inference process's state and what kind of app this is.
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
      {info && (
        <span className="app-info">
          Shotglass {info.version} · {info.mode === 'browser' ? 'browser mode' : 'desktop'} · {info.platform}
        </span>
      )}
    </footer>
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
