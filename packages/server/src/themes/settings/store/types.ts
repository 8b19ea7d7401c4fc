/**
 * Each theme's saved settings (Komari's `theme_configurations(short, data)`, themes.md §7, §8.7):
 * one JSON object per theme short name, stored as the admin sent it. Every engine of the store
 * implements `ThemeConfigStore`; rows outlive their theme (deleting a theme keeps its settings).
 */
export interface ThemeConfigStore {
  /** The theme's saved object; undefined when there is no row or its text is not a JSON object. */
  get(short: string): Promise<Record<string, unknown> | undefined>;
  /** Replaces the theme's object (no merge). */
  set(short: string, data: Record<string, unknown>): Promise<void>;
  /** Every theme's saved object by short name; rows that are not JSON objects are left out. */
  all(): Promise<Map<string, Record<string, unknown>>>;
}
