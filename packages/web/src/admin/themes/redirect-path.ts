// Where a `redirect` configuration points (themes.md §3): Komari's rules, so the admin never
// links to another host, a scheme or a path outside the site.

/**
 * A redirect target as an in-site path (themes.md §3 rules), or undefined when Komari would have
 * refused it: never a link to another host or to a scheme.
 */
export function redirectPath(target: unknown): string | undefined {
  if (typeof target !== 'string' || target.trim() === '' || target.includes('\\') || target.startsWith('//')) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
  let rest = target;
  // Komari strips leading slashes, or else leading `../`: "/../admin" keeps its `..` and is refused
  if (rest.startsWith('/')) rest = rest.replace(/^\/+/, '');
  else while (rest.startsWith('../')) rest = rest.slice(3);
  const cut = rest.search(/[?#]/);
  const path = cut < 0 ? rest : rest.slice(0, cut);
  const tail = cut < 0 ? '' : rest.slice(cut);
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return undefined;
  return `/${segments.join('/')}${tail}`;
}
