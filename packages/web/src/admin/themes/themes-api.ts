// The admin theme routes (themes.md §8) and the active theme as the public API reports it (§7).
import type { ThemeManifest } from '@komari-ts/protocol/theme';
import { ApiError, apiGet, apiSend, readEnvelope } from '../../lib/api.ts';
import type { ThemeSettings } from './managed-values.ts';

/** The default theme's short name: always installed, never deletable (themes.md §6). */
export const defaultTheme = 'default';


export interface ImportPreview {
  theme: ThemeManifest;
  /** a theme with this short name is installed and would be replaced */
  exists: boolean;
}

interface PublicTheme {
  theme?: string;
  theme_settings?: ThemeSettings | null;
}

export const listThemes = (signal?: AbortSignal) => apiGet<ThemeManifest[] | null>('/api/admin/theme/list', signal).then((l) => l ?? []);

export const activeTheme = (signal?: AbortSignal) => apiGet<PublicTheme>('/api/public', signal).then((p) => p.theme || defaultTheme);

export const setActiveTheme = (short: string) => apiGet<{ theme: string }>(`/api/admin/theme/set?theme=${encodeURIComponent(short)}`);

export const deleteTheme = (short: string) => sendForMessage<unknown>('/api/admin/theme/delete', { short });

export const previewImport = (url: string) => apiSend<ImportPreview>('/api/admin/theme/import?preview=true', { url });

export const importTheme = (url: string) => sendForMessage<ThemeManifest>('/api/admin/theme/import', { url });

export const updateTheme = (short: string) => sendForMessage<ThemeManifest>('/api/admin/theme/update', { short });

export const saveThemeSettings = (short: string, values: ThemeSettings) => apiSend(`/api/admin/theme/settings?theme=${encodeURIComponent(short)}`, values);

/**
 * The saved settings of `short`. The settings GET is a komari-ts addition (Komari has none,
 * themes.md §10.2); against a server without it, the active theme's values come from
 * `/api/public` (merged and resolved, which the form reads as well) and any other theme starts
 * from its defaults.
 */
export async function loadThemeSettings(short: string, signal?: AbortSignal): Promise<ThemeSettings> {
  try {
    return (await apiGet<ThemeSettings | null>(`/api/admin/theme/settings?theme=${encodeURIComponent(short)}`, signal)) ?? {};
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const pub = await apiGet<PublicTheme>('/api/public', signal);
  return (pub.theme || defaultTheme) === short ? (pub.theme_settings ?? {}) : {};
}

/** Where a theme's own file is served (themes.md §5). */
export function themeFileUrl(short: string, path: string): string {
  const clean = path.replace(/^\.?\/+/, '');
  return `/themes/${encodeURIComponent(short)}/${clean.split('/').map(encodeURIComponent).join('/')}`;
}

/** A POST whose answer's `message` is shown as the server sent it (Komari's own words). */
async function sendForMessage<T>(path: string, body: unknown): Promise<{ data: T; message: string }> {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const copy = res.clone();
  const data = await readEnvelope<T>(res);
  const envelope = (await copy.json().catch(() => ({}))) as { message?: unknown };
  return { data, message: typeof envelope.message === 'string' ? envelope.message : '' };
}
