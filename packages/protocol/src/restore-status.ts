import type { ImportReport } from './import-report.ts';

/**
 * `GET /api/admin/backup/status`'s `data`: whether a restore is under way, and how the last one
 * that reached the data folder ended. The admin page polls it after a restore. zod-free: the web
 * imports it by path.
 */
export interface RestoreStatus {
  restoring: boolean;
  last: LastRestore | null;
}

export interface LastRestore {
  /** ISO time the restore finished */
  at: string;
  /** whose database the backup held: komari-ts's own, or Komari's (converted on the way in) */
  kind: 'komari-ts' | 'komari';
  /** false: the new data did not come up and the previous data is back */
  ok: boolean;
  /** in English, as the admin page shows it */
  message: string;
  /** what a Komari database brought over */
  report?: ImportReport;
}

/** How the merge answer says where the restore went (Komari: always "restart"; we apply it live). */
export interface RestoreAnswer {
  path: 'data/backup.zip';
  kind: LastRestore['kind'];
  /** live: the running server swapped its data in place; next-start: staged as data/backup.zip */
  applied: 'live' | 'next-start';
  report?: ImportReport;
}
