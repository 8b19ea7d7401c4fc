// Database maintenance through the admin REST routes, in Komari's shapes (admin-api.md §6, §10).
import { apiGet, apiSend } from '../../lib/api.ts';

/** One database part (`main`; Komari also has `monitoring`, its separate metric store). */
export interface DatabasePart {
  driver: string;
  location: 'local' | 'external';
  /** null when measuring failed (`error` says why) */
  size: number | null;
  action: string;
  error?: string;
}

export interface DatabaseSize {
  type: string;
  size: number | null;
  main: DatabasePart;
  monitoring?: DatabasePart;
  local_total: number | null;
}

export interface VacuumPart {
  driver: string;
  action: string;
  before: number | null;
  after: number | null;
  success: boolean;
  error?: string;
  size_error?: string;
}

export interface VacuumResult {
  before: number | null;
  after: number | null;
  size: number | null;
  all_succeeded: boolean;
  main: VacuumPart;
  monitoring?: VacuumPart;
}

/** The parts in the order shown, each with its name key in `admin-database`. */
export const partNames = ['main', 'monitoring'] as const;
export type PartName = (typeof partNames)[number];

export const getDatabaseSize = (signal?: AbortSignal) => apiGet<DatabaseSize>('/api/admin/database/size', signal);
export const vacuumDatabase = () => apiSend<VacuumResult>('/api/admin/database/vacuum');

/** `load`: every node's load history; `all`: load and ping history. */
export type ClearScope = 'load' | 'all';
export const clearRecords = (scope: ClearScope) => apiSend(scope === 'all' ? '/api/admin/record/clear/all' : '/api/admin/record/clear');
