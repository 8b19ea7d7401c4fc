import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { initI18n } from './i18n/index.ts';
import { applyAppearance, savedAppearance } from './lib/appearance.ts';
import { SessionProvider } from './lib/session.tsx';
import './styles/base.css';

applyAppearance(savedAppearance());
initI18n();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
