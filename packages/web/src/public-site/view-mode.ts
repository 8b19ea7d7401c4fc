// Cards or table, remembered in localStorage across visits.
import { useState } from 'react';

export type ViewMode = 'cards' | 'table';

const key = 'komari-ts.dashboard.view';

function saved(): ViewMode {
  try {
    return localStorage.getItem(key) === 'table' ? 'table' : 'cards';
  } catch {
    return 'cards';
  }
}

export function useViewMode(): [ViewMode, (v: ViewMode) => void] {
  const [view, setView] = useState<ViewMode>(saved);
  const set = (v: ViewMode) => {
    setView(v);
    try {
      localStorage.setItem(key, v);
    } catch {
      // storage refused (private mode): the choice lasts for this visit
    }
  };
  return [view, set];
}
