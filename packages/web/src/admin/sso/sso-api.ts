// The single sign-on routes (auth.md §8, admin-api.md §3.5): each provider's field schema, its
// saved config (a JSON string in `addition`) and the two settings that pick and enable one.
import { apiGet, apiSend } from '../../lib/api.ts';
import type { ProviderSchemas } from './sso-form.ts';

export interface SsoSettings {
  enabled: boolean;
  provider: string;
}

export const loadSchemas = (signal?: AbortSignal) => apiGet<ProviderSchemas>('/api/admin/settings/oidc', signal);

/** The saved config of one provider; an empty or unreadable `addition` reads as nothing saved. */
export async function loadProviderConfig(name: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const row = await apiGet<{ name: string; addition: string }>(`/api/admin/settings/oidc?provider=${encodeURIComponent(name)}`, signal);
  try {
    const parsed: unknown = JSON.parse(row?.addition || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `addition` travels as a JSON string, not an object: the server refuses an object (admin-api.md §3.5). */
export const saveProviderConfig = (name: string, config: Record<string, unknown>) =>
  apiSend('/api/admin/settings/oidc', { name, addition: JSON.stringify(config) });

export async function loadSsoSettings(signal?: AbortSignal): Promise<SsoSettings> {
  const s = await apiGet<Record<string, unknown>>('/api/admin/settings/', signal);
  // "" and "none" mean github on the server too (auth.md §8)
  const provider = typeof s.o_auth_provider === 'string' && s.o_auth_provider !== '' && s.o_auth_provider !== 'none' ? s.o_auth_provider : 'github';
  return { enabled: s.o_auth_enabled === true, provider };
}

export const saveSsoSettings = (s: SsoSettings) => apiSend('/api/admin/settings/', { o_auth_enabled: s.enabled, o_auth_provider: s.provider });

export const unbindExternalAccount = () => apiSend('/api/admin/oauth2/unbind');

/** A plain navigation: the server sets a cookie and sends the browser on to the provider. */
export const bindUrl = '/api/admin/oauth2/bind';
export const loginUrl = '/api/oauth';
/** The path the provider sends the browser back to; the server prefixes its public URL. */
export const callbackPath = '/api/oauth_callback';
