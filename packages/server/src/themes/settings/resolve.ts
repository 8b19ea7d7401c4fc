import type { ValueItem } from './manifest-items.ts';

export interface ResolveInput {
  /** the theme's saved object ({} when none) */
  saved: Record<string, unknown>;
  /** the theme's managed items; undefined when the theme has no manifest (deleted) */
  items: readonly ValueItem[] | undefined;
  /** Komari fills defaults for installed themes only, never for `default` */
  mergeDefaults: boolean;
  /** node uuids that exist, asked for only when a `nodes` item is there */
  nodes: () => ReadonlySet<string>;
  /** ping task ids that exist, asked for only when a `pingtasks` item is there */
  tasks: () => ReadonlySet<number>;
}

/** themes.md §7 step 3: what an item absent from the saved object reads as. */
function defaultOf(item: ValueItem): unknown {
  const noDefault = item.default === undefined || item.default === '';
  if (item.type === 'select' && noDefault && item.options !== undefined && item.options.trim() !== '') {
    return item.options.split(',')[0]!.trim();
  }
  if (item.default !== undefined) return item.default;
  switch (item.type) {
    case 'number':
      return 0;
    case 'switch':
      return false;
    case 'nodes':
    case 'pingtasks':
      return '[]';
    default:
      return '';
  }
}

/**
 * A selector's saved value is a JSON-encoded list (`"[\"uuid\"]"`, `"[8,7]"`); decoded and kept to
 * what still exists. Anything else, an actual array included, is `[]` (Komari decodes the string
 * into a typed list, so one element of the wrong type fails the whole list).
 */
function selected<T extends string | number>(value: unknown, isT: (v: unknown) => v is T, exists: ReadonlySet<T>): T[] {
  if (typeof value !== 'string') return [];
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(list) || !list.every(isT)) return [];
  return list.filter((v) => exists.has(v));
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isTaskId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * `theme_settings` of `/api/public` (themes.md §7): the saved object, defaults for absent items
 * (installed themes only), selectors resolved (every theme), undeclared keys passed through, keys
 * in order as Komari's encoder writes a map. Never null.
 */
export function resolveThemeSettings(input: ResolveInput): Record<string, unknown> {
  // A Map, not property writes: a key such as `__proto__` stays a key.
  const out = new Map(Object.entries(input.saved));
  const items = input.items ?? [];
  if (input.mergeDefaults) {
    for (const item of items) if (!out.has(item.key)) out.set(item.key, defaultOf(item));
  }
  let nodes: ReadonlySet<string> | undefined;
  let tasks: ReadonlySet<number> | undefined;
  for (const item of items) {
    if (item.type === 'nodes') out.set(item.key, selected(out.get(item.key), isString, (nodes ??= input.nodes())));
    else if (item.type === 'pingtasks') out.set(item.key, selected(out.get(item.key), isTaskId, (tasks ??= input.tasks())));
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
