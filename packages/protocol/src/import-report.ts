/**
 * What an import of Komari data brought over and what it left out. One shape for the CLI's
 * summary, the restore answer and the admin page's report, so the three never disagree.
 * zod-free: the web imports it by path.
 */
export interface ImportReport {
  source: {
    kind: 'komari';
    /** the Komari schema the database was read as, e.g. "1.4.3", "1.2.x", "1.0.x" */
    schema: string;
  };
  /** fresh: the target had no nodes; merge: asked to add to a server that had some */
  mode: 'fresh' | 'merge';
  /** rows (or points) brought over, per kind; a kind with nothing to bring is absent */
  imported: Record<string, number>;
  /**
   * rows the target already held as the source has them (a second import of the same data finds
   * everything here), per kind; absent in reports made before it was added
   */
  alreadyPresent?: Record<string, number>;
  /** the first skips in detail (bounded); `skippedTotal` counts them all */
  skipped: ImportSkip[];
  skippedTotal: number;
  durationMs: number;
}

export interface ImportSkip {
  /** the kind the row belonged to, as in `imported` */
  kind: string;
  /** the row's id in Komari's database, when it has one */
  id?: string;
  /** why it was left out, in English (the admin page shows it as it is) */
  reason: string;
}

/**
 * Every kind an import counts or skips, as the server names them: the admin page has a name for
 * each in both languages (a test holds the dictionaries to this list).
 */
export const importKinds = [
  'accounts', 'nodes', 'settings', 'pingTasks', 'offlineRules', 'loadRules', 'trafficReports',
  'messageSenders', 'oauthProviders', 'clipboard', 'auditLog', 'execTasks', 'execResults',
  'themeSettings', 'sessions', 'plugins', 'loadSeries', 'loadPoints', 'pingSeries', 'pingPoints',
] as const;
export type ImportKind = (typeof importKinds)[number];
