// xterm's colours for the page's light or dark look (data-theme on <html>, set by appearance.ts).
import type { ITheme } from '@xterm/xterm';

const light: ITheme = {
  background: '#ffffff',
  foreground: '#1d2129',
  cursor: '#1d2129',
  cursorAccent: '#ffffff',
  selectionBackground: '#2563eb40',
  black: '#1d2129',
  brightBlack: '#6b7280',
  white: '#d1d5db',
  brightWhite: '#f3f4f6',
  red: '#c81e1e',
  green: '#15803d',
  yellow: '#a16207',
  blue: '#1d4ed8',
  magenta: '#a21caf',
  cyan: '#0e7490',
};

const dark: ITheme = {
  background: '#0f1115',
  foreground: '#e6e8eb',
  cursor: '#e6e8eb',
  cursorAccent: '#0f1115',
  selectionBackground: '#60a5fa50',
};

export const isDarkPage = (): boolean => document.documentElement.dataset.theme === 'dark';

export function xtermTheme(): ITheme {
  return isDarkPage() ? dark : light;
}

/** Calls `changed` whenever the page switches between light and dark; returns the unsubscribe. */
export function watchPageTheme(changed: () => void): () => void {
  const observer = new MutationObserver(changed);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
