import type { AppContext } from '../../app-context.ts';
import { resolveThemeSettings } from './resolve.ts';

/**
 * `/api/public` `theme_settings` for the active theme, per request (themes.md §7): one row read,
 * one stat of the manifest (parsed once, manifest-items.ts), and the node or task list only when
 * the theme declares a selector.
 */
export async function publicThemeSettings(app: AppContext): Promise<Record<string, unknown>> {
  const theme = app.settings.get('theme');
  const saved = (await app.store.themeConfigs.get(theme)) ?? {};
  const items = app.themeManifests.of(theme);
  const nodes = items?.some((i) => i.type === 'nodes') ? new Set((await app.store.nodes.list()).map((n) => n.uuid)) : new Set<string>();
  return resolveThemeSettings({
    saved,
    items,
    mergeDefaults: theme !== 'default',
    nodes: () => nodes,
    tasks: () => new Set(app.ping.tasks().map((t) => t.id)),
  });
}
