// The audit log (admin-api.md §8): newest first, one page at a time.
import { apiGet } from '../../lib/api.ts';

export interface AuditEntry {
  id: number;
  ip: string;
  /** the actor: a user uuid, '' for system lines and RPC calls with the API key */
  uuid: string;
  message: string;
  msg_type: string;
  time: string;
}

export interface AuditPage {
  logs: AuditEntry[];
  total: number;
}

export const pageSizes = [20, 50, 100, 200] as const;

export async function loadAuditPage(page: number, limit: number, signal?: AbortSignal): Promise<AuditPage> {
  const data = await apiGet<AuditPage>(`/api/admin/logs?limit=${limit}&page=${page}`, signal);
  return { logs: data?.logs ?? [], total: data?.total ?? 0 };
}

/** The actor REST handlers write for an API-key caller (admin-api.md §0.5). */
export const apiKeyActor = '00000000-0000-0000-0000-000000000000';
