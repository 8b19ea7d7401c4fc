/** installing theme packages (themes/install/, themes.md §1); Komari's bounds and words */
export interface ThemeInstallLimits {
  /** entries a package may hold, folders included (Komari: 10,000) */
  maxEntries: number;
  /** bytes one file may inflate to, counted while inflating (Komari: 128 MiB) */
  maxFileBytes: number;
  /** bytes all files may inflate to together, counted while inflating (Komari: 512 MiB) */
  maxTotalBytes: number;
  /** bytes of `komari-theme.json`, which is read into memory (Komari: 1 MiB) */
  maxManifestBytes: number;
  /** bytes of one entry's name (the names are held while the package is checked: ≤ maxEntries × this) */
  maxEntryNameBytes: number;
  /** bytes of the raw body of the older `PUT /api/admin/theme/upload`, kept on disk */
  maxPutBytes: number;
  /** `PUT /api/admin/theme/upload` requests at once; past it 429 (each may hold maxPutBytes on disk and an extraction) */
  maxConcurrentPuts: number;
}

export const defaultThemeInstallLimits: ThemeInstallLimits = {
  maxEntries: 10_000,
  maxFileBytes: 128 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
  maxEntryNameBytes: 1024,
  maxPutBytes: 1024 ** 3,
  maxConcurrentPuts: 2,
};

/** what the web UI serves besides theme files as they are */
export interface ThemeServingLimits {
  /** an uploaded favicon, held in memory to check its magic bytes (Komari: 5 MB) */
  maxFaviconBytes: number;
  /**
   * a theme's service-worker script, read whole to put the isolation guard in front of it
   * (sw-guard.ts); a larger one is refused, so no worker runs without the guard
   */
  maxServiceWorkerScriptBytes: number;
  /** built-in UI asset paths listed into that guard (the web build has ~60) */
  maxGuardAssetPaths: number;
}

export const defaultThemeServingLimits: ThemeServingLimits = {
  maxFaviconBytes: 5 * 1024 * 1024,
  maxServiceWorkerScriptBytes: 8 * 1024 * 1024,
  maxGuardAssetPaths: 10_000,
};

/** themes' saved settings (themes/settings/) */
export interface ThemeSettingsLimits {
  /** UTF-8 bytes of one theme's saved settings object as JSON; a larger one is refused (400) */
  maxSettingsBytes: number;
  /**
   * nesting depth of that object (arrays and objects); a deeper one is refused (400) before it is
   * measured, since measuring recurses and a deep enough body would overflow the stack (a 500)
   */
  maxSettingsDepth: number;
  /** bytes of a `komari-theme.json` read for its managed items (Komari's install limit); a larger one has none */
  maxManifestBytes: number;
}

export const defaultThemeSettingsLimits: ThemeSettingsLimits = {
  maxSettingsBytes: 256 * 1024,
  maxSettingsDepth: 64,
  maxManifestBytes: 1024 * 1024,
};

/** themes installed from a URL or a GitHub release (themes/import/, http-client/) */
export interface ThemeDownloadLimits {
  /** bytes of a theme package, counted while it streams to disk (Komari's market: 100 MiB) */
  maxBytes: number;
  /** the whole download, redirects included (Komari's market: 45 s) */
  timeoutMs: number;
  /** redirects followed, each hop checked (Komari's market: 10) */
  maxRedirects: number;
  /** bytes of GitHub's `releases/latest` answer, read into memory */
  maxApiAnswerBytes: number;
  /** imports and updates downloading at once (each may hold maxBytes on disk); one more is refused (429) */
  maxConcurrent: number;
}

export const defaultThemeDownloadLimits: ThemeDownloadLimits = {
  maxBytes: 100 * 1024 * 1024,
  timeoutMs: 45_000,
  maxRedirects: 10,
  // a release with a hundred assets is ~300 KiB of JSON
  maxApiAnswerBytes: 2 * 1024 * 1024,
  maxConcurrent: 2,
};
