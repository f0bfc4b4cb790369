import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/client';
import { App } from './App';
import { createAppStore, StoreProvider } from './store';
import './styles.css';

declare global {
  interface Window {
    /** Test hook: set the prompt without typing into Monaco (typing via Playwright is flaky). */
    __shotglassSetPrompt?: (text: string) => void;
  }
}

const store = createAppStore(createApi());
window.__shotglassSetPrompt = (text) => store.getState().actions.setPrompt(text);
void store.getState().actions.init();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
