// Where to go after logging in. `next` comes from the URL, so anyone can craft it: only a path on
// this origin is honoured, never `//evil.example` or `https://…`, which would make the login page
// an open redirect.
export const defaultAdminPath = '/admin/nodes';

export function safeNext(next: string | null, origin: string): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  try {
    const url = new URL(next, origin);
    if (url.origin !== origin) return undefined;
    return url.pathname + url.search + url.hash;
  } catch {
    return undefined;
  }
}

/** `next` if it is safe; else the admin page the login form stands on; else the nodes page. */
export function afterLoginPath(next: string | null, path: string, origin: string): string {
  const safe = safeNext(next, origin);
  if (safe) return safe;
  const deep = path.startsWith('/admin/') && path.length > '/admin/'.length;
  return deep ? path : defaultAdminPath;
}
