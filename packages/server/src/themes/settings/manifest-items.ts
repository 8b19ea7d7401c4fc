import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagedItem } from '@komari-ts/protocol';

const manifestName = 'komari-theme.json';
const shortPattern = /^[A-Za-z0-9_-]{1,100}$/;

/** What the settings answer needs of one item (themes.md §3.1); items without a key carry no value. */
export interface ValueItem {
  key: string;
  type: string;
  options?: string;
  default?: unknown;
}

interface Cached {
  path: string;
  mtimeMs: number;
  size: number;
  ino: number;
  items: ValueItem[];
}

/**
 * The managed items of a theme's `komari-theme.json` (installed: `<installed>/<short>/`, default:
 * the built-in theme's root), parsed once and kept while the file's mtime, size and inode stay the
 * same: `/api/public` asks on every visit, so a visit costs one stat, and a reinstall or a delete
 * shows on the next one without anyone telling this cache. One entry is kept (the active theme).
 */
export class ManifestItems {
  readonly #defaultRoot: string;
  readonly #installedRoot: string;
  readonly #maxBytes: number;
  #cached: Cached | undefined;

  constructor(defaultRoot: string, installedRoot: string, maxBytes: number) {
    this.#defaultRoot = defaultRoot;
    this.#installedRoot = installedRoot;
    this.#maxBytes = maxBytes;
  }

  /**
   * The theme's items with a key; undefined when it has no manifest (a deleted theme, a bad name),
   * [] when the manifest is unreadable, too large or its configuration is not `managed`.
   */
  of(short: string): ValueItem[] | undefined {
    const path = this.#pathOf(short);
    if (!path) return undefined;
    let st;
    try {
      st = statSync(path);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const c = this.#cached;
    if (c && c.path === path && c.mtimeMs === st.mtimeMs && c.size === st.size && c.ino === st.ino) return c.items;
    const items = st.size > this.#maxBytes ? [] : readItems(path);
    this.#cached = { path, mtimeMs: st.mtimeMs, size: st.size, ino: st.ino, items };
    return items;
  }

  /** Drops the cached manifest (an install or delete may call it; the stat check finds changes anyway). */
  forget(): void {
    this.#cached = undefined;
  }

  #pathOf(short: string): string | undefined {
    if (short === 'default') return join(this.#defaultRoot, manifestName);
    return shortPattern.test(short) ? join(this.#installedRoot, short, manifestName) : undefined;
  }
}

function readItems(path: string): ValueItem[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
  return managedItemsOf(manifest);
}

/** themes.md §3: `managed` (or no type) with an array of items; anything else has none. */
export function managedItemsOf(manifest: unknown): ValueItem[] {
  const configuration = (manifest as { configuration?: unknown } | null)?.configuration;
  if (configuration === null || typeof configuration !== 'object') return [];
  const { type, data } = configuration as { type?: unknown; data?: unknown };
  const kind = typeof type === 'string' ? type.trim().toLowerCase() : '';
  if ((kind !== '' && kind !== 'managed') || !Array.isArray(data)) return [];
  const out: ValueItem[] = [];
  for (const raw of data as unknown[]) {
    if (raw === null || typeof raw !== 'object') continue;
    const item = raw as Partial<ManagedItem>;
    if (typeof item.key !== 'string' || item.key === '' || typeof item.type !== 'string') continue;
    out.push({
      key: item.key,
      type: item.type,
      ...(typeof item.options === 'string' ? { options: item.options } : {}),
      ...(item.default !== undefined && item.default !== null ? { default: item.default } : {}),
    });
  }
  return out;
}
