/** `backup-20261207-051530.123000.zip`: Komari's name, UTC with microseconds (admin-api.md §11.1). */
export function backupName(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-12-07T05:15:30.123Z
  const date = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 19).replace(/:/g, '');
  return `backup-${date}-${time}.${iso.slice(20, 23)}000.zip`;
}

/** `pre-restore-20261207-051530.zip`: the data as it was before a restore (admin-api.md §11.3). */
export function preRestoreName(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `pre-restore-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}.zip`;
}

export const markerName = 'komari-backup-markup';

/** The marker file's text: the line Komari writes, in both languages, and when. */
export function markerText(ms: number): string {
  return `此文件为 Komari 备份标记文件，请勿删除。This file is a Komari backup marker, do not delete it.\nBackup Time: ${new Date(ms).toISOString()}\n`;
}
