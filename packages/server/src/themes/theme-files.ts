import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';

const manifestName = 'komari-theme.json';
const builtInAssetDir = 'dist/assets';

/**
 * Where theme files come from (themes.md §4.1): an installed theme's own directory under
 * `<data>/theme/<short>/`, else the default theme (the built `packages/web`), so a custom theme
 * inherits any file it lacks. Paths are relative to a theme's root (`dist/index.html`, …).
 *
 * Only what a theme publishes is served: its `dist/`, its manifest and the preview image the
 * manifest names. The rest of a theme's directory is its source (the default theme's root is the
 * web package: `package.json`, `src/`, `node_modules/`), and a symlink is followed only when its
 * target stays inside the published part.
 */
export class ThemeFiles {
  readonly #defaultRoot: string;
  readonly #installedRoot: string;

  constructor(defaultRoot: string, installedRoot: string) {
    this.#defaultRoot = resolve(defaultRoot);
    this.#installedRoot = resolve(installedRoot);
  }

  /** Absolute path of a regular, published file, or undefined. */
  lookup(themeId: string, relPath: string): string | undefined {
    const clean = cleanRelative(relPath);
    if (clean === undefined) return undefined;
    if (themeId !== 'default') {
      if (!themeId || /[/\\]|\.\./.test(themeId)) return undefined;
      const found = publishedFile(join(this.#installedRoot, themeId), clean);
      if (found) return found;
    }
    return publishedFile(this.#defaultRoot, clean);
  }

  /**
   * The built-in UI's own files (`dist/assets/…` of the default theme: content-hashed names the
   * admin page loads). Served from the default theme whatever the active theme ships at the same
   * path, so a theme cannot replace the admin panel's code.
   */
  builtInAsset(relPath: string): string | undefined {
    const clean = cleanRelative(relPath);
    return clean?.startsWith(builtInAssetDir + '/') ? publishedFile(this.#defaultRoot, clean) : undefined;
  }

  /** URL paths (`/assets/x.js`) of those files, for the service-worker guard; at most `max`. */
  builtInAssetPaths(max: number): string[] {
    const out: string[] = [];
    const walk = (rel: string): void => {
      let entries;
      try {
        entries = readdirSync(join(this.#defaultRoot, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (out.length >= max) return;
        const child = `${rel}/${e.name}`;
        if (e.isDirectory()) walk(child);
        else if (e.isFile()) out.push(child.slice('dist'.length));
      }
    };
    walk(builtInAssetDir);
    return out;
  }

  /** True when an installed theme of that name exists (the default theme always does). */
  installed(themeId: string): boolean {
    if (themeId === 'default') return true;
    return !/[/\\]|\.\./.test(themeId) && publishedFile(join(this.#installedRoot, themeId), manifestName) !== undefined;
  }
}

/**
 * `dist/./a` → `dist/a`; undefined when the path holds a `..` segment or a backslash (a request
 * that tries to climb is refused, not straightened out).
 */
function cleanRelative(relPath: string): string | undefined {
  if (relPath.includes('\\') || relPath.includes('\0')) return undefined;
  if (relPath.split('/').includes('..')) return undefined;
  return normalize('/' + relPath).replace(/^\/+/, '');
}

/** The manifest's `preview` path, when it names a file inside the theme. */
function previewOf(root: string): string | undefined {
  try {
    const preview = (JSON.parse(readFileSync(join(root, manifestName), 'utf8')) as { preview?: unknown }).preview;
    return typeof preview === 'string' && preview !== '' ? cleanRelative(preview) : undefined;
  } catch {
    return undefined;
  }
}

function publishedFile(root: string, rel: string): string | undefined {
  const inDist = rel.startsWith('dist/');
  if (!inDist && rel !== manifestName && rel !== previewOf(root)) return undefined;
  try {
    const real = realpathSync(join(root, rel));
    // The published part, resolved too: a theme directory may itself sit behind a symlink.
    const base = realpathSync(inDist ? join(root, 'dist') : root);
    if (!real.startsWith(base + sep)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
