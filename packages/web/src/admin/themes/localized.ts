// Picking one language out of a manifest's `{lang: text}` (themes.md §3.1): the exact tag, then
// the tag with `-`/`_` and case normalised, then the base language (`zh` for `zh-CN`). A theme
// may know none of them; its first non-blank text beats showing nothing.
import type { LocalizedText } from '@komari-ts/protocol/theme';

const norm = (tag: string) => tag.toLowerCase().replace(/_/g, '-');

export function localized(text: LocalizedText | null | undefined, lang: string): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  if (typeof text !== 'object') return '';
  const entries = Object.entries(text).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '');
  const exact = entries.find(([k]) => k === lang);
  if (exact) return exact[1];
  const wanted = norm(lang);
  const normalised = entries.find(([k]) => norm(k) === wanted);
  if (normalised) return normalised[1];
  const base = wanted.split('-')[0];
  const baseHit = entries.find(([k]) => norm(k) === base);
  if (baseHit) return baseHit[1];
  return entries[0]?.[1] ?? '';
}
