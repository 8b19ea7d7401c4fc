// Backup and restore through the admin routes (admin-api.md §11): the download, and the state of
// the restore this server applies live (it rebuilds itself in-process after the upload's merge).
import type { ImportReport } from '@komari-ts/protocol/import-report';
import { apiGet } from '../../lib/api.ts';

export const downloadUrl = '/api/admin/download/backup';

/** `komari-ts`: one of our own backups; `komari`: a Komari backup, imported. */
export type BackupKind = 'komari-ts' | 'komari';

/** The merge's answer once the archive has passed every check; the rebuild starts right after. */
export interface RestoreAccepted {
  path: string;
  kind: BackupKind;
  applied: 'live';
  report?: ImportReport;
}

export interface LastRestore {
  at: string;
  kind: BackupKind;
  ok: boolean;
  message: string;
  report?: ImportReport;
}

export interface RestoreStatus {
  restoring: boolean;
  last: LastRestore | null;
}

export const getRestoreStatus = (signal?: AbortSignal) => apiGet<RestoreStatus>('/api/admin/backup/status', signal);
