import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Each theme's saved settings (themes.md §7, §8.7), Komari's table. What was kept as settings
  // moves here: the single `theme_settings` object becomes the active theme's row, and the
  // Komari import's `theme_configurations` map (short → object) becomes one row per theme; a
  // `theme_settings` edited after that import wins for the active theme. An empty object made
  // no row (it was only the first-start default).
  id: '2026-12-21-theme-configurations',
  sql: `
    CREATE TABLE theme_configurations (
      short TEXT PRIMARY KEY,
      data TEXT NOT NULL
    );
    INSERT OR REPLACE INTO theme_configurations (short, data)
      SELECT j.key, j.value FROM settings s, json_each(s.value) j
      WHERE s.key = 'theme_configurations' AND json_valid(s.value) AND json_type(s.value) = 'object'
        AND j.type = 'object' AND j.key <> '';
    INSERT OR REPLACE INTO theme_configurations (short, data)
      SELECT COALESCE(
        (SELECT json_extract(t.value, '$') FROM settings t
         WHERE t.key = 'theme' AND json_valid(t.value) AND json_type(t.value) = 'text' AND json_extract(t.value, '$') <> ''),
        'default'), s.value
      FROM settings s
      WHERE s.key = 'theme_settings' AND json_valid(s.value) AND json_type(s.value) = 'object' AND s.value <> '{}';
    DELETE FROM settings WHERE key IN ('theme_settings', 'theme_configurations');
  `,
};
