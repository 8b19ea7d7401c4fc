// Sessions (admin-api.md §7). The list route answers flat — `current` sits beside `data` — so it
// is read here whole rather than through apiGet, which keeps only `data`.
import { ApiError, apiSend } from '../../lib/api.ts';

export interface SessionRow {
  uuid: string;
  session: string;
  user_agent: string;
  ip: string;
  login_method: string;
  latest_online: string;
  latest_user_agent: string;
  latest_ip: string;
  expires: string;
  created_at: string;
}

export interface SessionList {
  current: string;
  sessions: SessionRow[];
}

export async function listSessions(signal?: AbortSignal): Promise<SessionList> {
  const res = await fetch('/api/admin/session/get', { credentials: 'same-origin', signal });
  const body = (await res.json().catch(() => ({}))) as { status?: string; message?: string; current?: string; data?: SessionRow[] };
  if (!res.ok || body.status !== 'success') throw new ApiError(res.status, body.message || res.statusText);
  const sessions = [...(body.data ?? [])].sort((a, b) => Date.parse(b.latest_online) - Date.parse(a.latest_online));
  return { current: body.current ?? '', sessions };
}

export const revokeSession = (session: string) => apiSend('/api/admin/session/remove', { session });
export const revokeAllSessions = () => apiSend('/api/admin/session/remove/all');
