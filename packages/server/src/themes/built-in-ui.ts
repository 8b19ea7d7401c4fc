/**
 * `/admin*` and `/terminal*` are always the built-in UI, never a theme's (themes.md §4.4): served
 * from the default theme without the site's text, and never frameable. Plain prefixes, as Komari
 * matches them.
 */
export function isBuiltInUi(path: string): boolean {
  return path.startsWith('/admin') || path.startsWith('/terminal');
}
