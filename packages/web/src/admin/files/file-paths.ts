// Paths on the agent are always '/'-separated (Windows drives are virtualized as /C/…,
// komari-1.5.md §2.2), so these helpers never see a backslash.

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

export function parentPath(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || path;
}

/** A name for a new entry in a folder: no separator, not `.` or `..`, not blank. */
export function validName(name: string): boolean {
  const n = name.trim();
  return n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\\') && !n.includes('\0');
}

/**
 * A destination typed by hand: absolute as typed, otherwise relative to the folder shown; `.` and
 * `..` are resolved here (the server refuses `..` segments outright) and never climb above `/`.
 */
export function resolvePath(dir: string, input: string): string {
  const v = input.trim();
  const parts: string[] = [];
  for (const part of (v.startsWith('/') ? v : joinPath(dir, v)).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export interface Crumb {
  label: string;
  path: string;
}

/** The steps from the root holding `path` down to it; the root itself is the first step. */
export function crumbsOf(path: string, roots: readonly { path: string; name: string }[]): Crumb[] {
  const root = [...roots]
    .filter((r) => path === r.path || path.startsWith(r.path.endsWith('/') ? r.path : `${r.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const base = root?.path ?? '/';
  const crumbs: Crumb[] = [{ label: root?.name || base, path: base }];
  let at = base;
  for (const part of path.slice(base.length).split('/').filter(Boolean)) {
    at = joinPath(at, part);
    crumbs.push({ label: part, path: at });
  }
  return crumbs;
}

/** Octal permissions as the agent takes them: 3 or 4 digits. */
export const validMode = (mode: string) => /^[0-7]{3,4}$/.test(mode.trim());
