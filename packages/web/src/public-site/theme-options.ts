// What the site owner chose for the built-in dashboard: the managed items of its own
// komari-theme.json, read from /api/public `theme_settings`. The server fills no defaults for
// the default theme (themes.md §7), so an absent or mistyped value falls back to the manifest's.
import manifest from '../../komari-theme.json';
import type { ViewMode } from './view-mode.ts';

export const cardFigures = ['cpu', 'memory', 'disk', 'network', 'load', 'uptime', 'connections', 'billing'] as const;
export type CardFigure = (typeof cardFigures)[number];

export interface DashboardOptions {
  defaultView: ViewMode;
  showSummary: boolean;
  /** node uuids shown first, in this order (the server keeps only nodes that exist) */
  featured: readonly string[];
  card: Readonly<Record<CardFigure, boolean>>;
}

const declared = new Map<string, unknown>(
  manifest.configuration.data.flatMap((item) => ('key' in item && item.key ? [[item.key, item.default] as const] : [])),
);

function flag(settings: Record<string, unknown>, key: string): boolean {
  const v = settings[key];
  return typeof v === 'boolean' ? v : declared.get(key) !== false;
}

export function dashboardOptions(settings: Record<string, unknown> | undefined): DashboardOptions {
  const s = settings ?? {};
  const view = s.default_view ?? declared.get('default_view');
  const featured = Array.isArray(s.featured_nodes) ? s.featured_nodes.filter((v): v is string => typeof v === 'string') : [];
  return {
    defaultView: view === 'table' ? 'table' : 'cards',
    showSummary: flag(s, 'show_summary'),
    featured,
    card: Object.fromEntries(cardFigures.map((f) => [f, flag(s, `card_show_${f}`)])) as Record<CardFigure, boolean>,
  };
}

/** Pinned nodes first, in the pinned order; the rest keep theirs. */
export function featuredFirst<T extends { uuid: string }>(nodes: readonly T[], featured: readonly string[]): readonly T[] {
  if (featured.length === 0) return nodes;
  const rank = new Map(featured.map((uuid, i) => [uuid, i]));
  const pinned = nodes.filter((n) => rank.has(n.uuid)).sort((a, b) => rank.get(a.uuid)! - rank.get(b.uuid)!);
  return [...pinned, ...nodes.filter((n) => !rank.has(n.uuid))];
}
