// The account routes (auth.md §5, §6) and the `api_key` setting (auth.md §9).
import { ApiError, apiGet, apiSend } from '../../lib/api.ts';

/**
 * The server refuses shorter keys, and weak-looking longer ones with its own message (protocol's
 * apiKeyMinLength; not imported, so the bundle does not pull in the settings schemas).
 */
export const minApiKeyLength = 32;
/** Komari's install wizard asks for at least this; the update route itself allows 6. */
export const minPasswordLength = 8;
export const minUsernameLength = 3;

export interface UserUpdate {
  uuid: string;
  username?: string;
  password?: string;
  /**
   * Sent so a server that checks it can refuse a wrong one; Komari's route does not read it
   * (see the report: the lead may add the check server-side).
   */
  old_password?: string;
  '2fa_code'?: string;
}

/** A password change ends every session, this one included (auth.md §4.3). */
export const updateUser = (u: UserUpdate) => apiSend<{ uuid: string }>('/api/admin/update/user', u);

export async function loadApiKey(signal?: AbortSignal): Promise<string> {
  const settings = await apiGet<{ api_key?: unknown }>('/api/admin/settings/', signal);
  return typeof settings?.api_key === 'string' ? settings.api_key : '';
}

export const saveApiKey = (key: string) => apiSend('/api/admin/settings/', { api_key: key });

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters of [A-Za-z0-9] from the browser's CSPRNG; bytes ≥ 248 are redrawn so each is equally likely. */
export function generateApiKey(length = 32): string {
  let out = '';
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < 248 && out.length < length) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

/** UTF-8 length: the server counts bytes, not characters. */
export const byteLength = (s: string) => new TextEncoder().encode(s).length;

export interface TwoFactorSetup {
  /** an object URL of the QR code PNG; revoke it when done */
  qr: string;
  /** the secret for typing in by hand, when the server tells it (header X-2FA-Secret) */
  secret: string;
}

/** GET /api/admin/2fa/generate: a QR code PNG; the pending secret rides in an HttpOnly cookie. */
export async function startTwoFactor(): Promise<TwoFactorSetup> {
  const res = await fetch('/api/admin/2fa/generate', { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new ApiError(res.status, body.message || res.statusText);
  }
  return { qr: URL.createObjectURL(await res.blob()), secret: res.headers.get('x-2fa-secret') ?? '' };
}

/** The code goes in the query string: the server reads it nowhere else. */
export const enableTwoFactor = (code: string) => apiSend(`/api/admin/2fa/enable?code=${encodeURIComponent(code)}`);
export const disableTwoFactor = (code: string) => apiSend('/api/admin/2fa/disable', { '2fa_code': code });
