// Cards or table: the visitor's own choice, remembered in localStorage across visits; until they
// make one, the site's default (the built-in theme's `default_view` setting).
import { useState } from 'react';

export type ViewMode = 'cards' | 'table';

const key = 'komari-ts.dashboard.view';

function saved(): ViewMode | undefined {
  try {
    const v = localStorage.getItem(key);
    return v === 'table' || v === 'cards' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function useViewMode(siteDefault: ViewMode): [ViewMode, (v: ViewMode) => void] {
  const [view, setView] = useState<ViewMode | undefined>(saved);
  const set = (v: ViewMode) => {
    setView(v);
    try {
      localStorage.setItem(key, v);
    } catch {
      // storage refused (private mode): the choice lasts for this visit
    }
  };
  return [view ?? siteDefault, set];
}
