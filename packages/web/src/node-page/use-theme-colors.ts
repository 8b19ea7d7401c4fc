// Chart colours come from the page's CSS variables so charts follow light and dark; the
// appearance switch flips `data-theme` on <html>, which is watched here.
import { useEffect, useState } from 'react';

export interface ThemeColors {
  text: string;
  muted: string;
  border: string;
  surface: string;
}

function read(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { text: v('--text', '#1d2129'), muted: v('--muted', '#6b7280'), border: v('--border', '#e3e6ea'), surface: v('--surface', '#ffffff') };
}

export function useThemeColors(): ThemeColors {
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const obs = new MutationObserver(() => setColors(read()));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => obs.disconnect();
  }, []);
  return colors;
}

/** Series colours readable on both backgrounds. */
export const palette = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16'];
