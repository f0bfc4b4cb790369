import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/client';
import { App } from './App';
import { createAppStore, StoreProvider } from './store';
import './styles.css';

declare global {
  interface Window {
    /** Test hook: switch to the Raw tab and set its prompt without typing into Monaco (typing via Playwright is flaky). */
    __shotglassSetPrompt?: (text: string) => void;
  }
}

const store = createAppStore(createApi());
window.__shotglassSetPrompt = (text) => {
  store.getState().actions.setTab('raw');
  store.getState().actions.setPrompt(text);
};
void store.getState().actions.init();

// Browser mode: unsaved template edits make the browser ask before the page goes away. (Not in
// the desktop app: Electron shows no dialog for this, it would just refuse to close the window.)
if (!window.shotglass) {
  window.addEventListener('beforeunload', (e) => {
    if (store.getState().template.dirty) e.preventDefault();
  });
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
