/** Renderer entry: detect the transport, mount the app. */
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { detectApi } from './api/client';
import { ApiProvider } from './api/context';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html lacks #root');

detectApi()
  .then((api) => {
    createRoot(rootElement).render(
      <StrictMode>
        <ApiProvider api={api}>
          <App />
        </ApiProvider>
      </StrictMode>,
    );
  })
  .catch((e: unknown) => {
    // textContent, never innerHTML (Trusted Types are enforced by the CSP).
    rootElement.textContent = `Leakscope could not start: ${e instanceof Error ? e.message : String(e)}`;
  });
