import { statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';

/**
 * Where theme files come from (themes.md §4.1): an installed theme's own directory under
 * `<data>/theme/<short>/`, else the default theme (the built `packages/web`), so a custom theme
 * inherits any file it lacks. Paths are relative to a theme's root (`dist/index.html`, …).
 */
export class ThemeFiles {
  readonly #defaultRoot: string;
  readonly #installedRoot: string;

  constructor(defaultRoot: string, installedRoot: string) {
    this.#defaultRoot = resolve(defaultRoot);
    this.#installedRoot = resolve(installedRoot);
  }

  /** Absolute path of a regular file, or undefined. */
  lookup(themeId: string, relPath: string): string | undefined {
    const clean = cleanRelative(relPath);
    if (clean === undefined) return undefined;
    if (themeId !== 'default') {
      if (!themeId || /[/\\]|\.\./.test(themeId)) return undefined;
      const found = regularFileWithin(join(this.#installedRoot, themeId), clean);
      if (found) return found;
    }
    return regularFileWithin(this.#defaultRoot, clean);
  }

  /** True when an installed theme of that name exists (the default theme always does). */
  installed(themeId: string): boolean {
    if (themeId === 'default') return true;
    return !/[/\\]|\.\./.test(themeId) && regularFileWithin(join(this.#installedRoot, themeId), 'komari-theme.json') !== undefined;
  }
}

/** `/dist/../x` → `x`; undefined when the path would climb out of the root. */
function cleanRelative(relPath: string): string | undefined {
  const n = normalize('/' + relPath.replace(/\\/g, '/')).replace(/^\/+/, '');
  if (n.split('/').includes('..')) return undefined;
  return n;
}

function regularFileWithin(root: string, rel: string): string | undefined {
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) return undefined;
  try {
    return statSync(full).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}
