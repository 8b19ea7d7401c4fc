// A managed configuration's values (themes.md §3.1, §7, §8.7): the form's draft taken from what
// the server holds, and the object saved back. Nodes and ping tasks are kept as lists while
// editing and sent as JSON strings ("[\"uuid\"]", "[1,2]"), the only shape Komari resolves.
import type { ManagedItem } from '@komari-ts/protocol/theme';

/** A theme's saved settings: one JSON object, stored as sent (themes.md §8.7). */
export type ThemeSettings = Record<string, unknown>;

/** The items that hold a value: every type but the headings and static text, with a key. */
export function valueItems(items: readonly ManagedItem[]): ManagedItem[] {
  return items.filter((i) => typeof i.key === 'string' && i.key !== '' && i.type !== 'title' && i.type !== 'textbox');
}

/** A manifest's `data` as items; anything malformed counts as none (Komari does the same). */
export function managedItems(data: unknown): ManagedItem[] {
  if (!Array.isArray(data)) return [];
  return data.filter((i): i is ManagedItem => i !== null && typeof i === 'object' && typeof (i as ManagedItem).type === 'string');
}

export function selectOptions(item: ManagedItem): string[] {
  return (item.options ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
}

/** A selection as stored (a JSON string) or as `/api/public` resolves it (an array). */
function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The draft value of one item: strings for text, select and number inputs, a boolean, or a list. */
export type DraftValue = string | boolean | string[] | number[];
export type Draft = Record<string, DraftValue>;

function draftValue(item: ManagedItem, saved: unknown, has: boolean): DraftValue {
  const value = has ? saved : item.default;
  switch (item.type) {
    case 'switch':
      return value === true || value === 'true';
    case 'nodes':
      return listOf(value).filter((v): v is string => typeof v === 'string');
    case 'pingtasks':
      return listOf(value).filter((v): v is number => typeof v === 'number' && Number.isInteger(v));
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? String(value) : has ? '' : '0';
    case 'select': {
      if (typeof value === 'string' && value !== '') return value;
      return has ? '' : (selectOptions(item)[0] ?? '');
    }
    default:
      return value == null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }
}

export function draftOf(items: readonly ManagedItem[], saved: ThemeSettings): Draft {
  const draft: Draft = {};
  for (const item of valueItems(items)) {
    const key = item.key!;
    draft[key] = draftValue(item, saved[key], Object.hasOwn(saved, key));
  }
  return draft;
}

/**
 * The object to save: the form's values over what was saved before, so keys the manifest does
 * not declare (a theme may write its own) survive. A number left empty is left out, and the
 * theme's default applies to it again.
 */
export function settingsToSave(items: readonly ManagedItem[], saved: ThemeSettings, draft: Draft): ThemeSettings {
  const out: ThemeSettings = { ...saved };
  for (const item of valueItems(items)) {
    const key = item.key!;
    const value = draft[key];
    if (value === undefined) continue;
    if (item.type === 'nodes' || item.type === 'pingtasks') out[key] = JSON.stringify(value);
    else if (item.type === 'number') {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isFinite(n)) out[key] = n;
      else delete out[key];
    } else out[key] = value;
  }
  return out;
}
