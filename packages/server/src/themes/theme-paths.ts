import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BootConfig } from '../config/boot-config.ts';
import { dataDirOf } from '../config/data-dir.ts';

/** Installed themes: `<data folder>/theme/<short>/` (themes.md §4). */
export const installedThemesRoot = (config: BootConfig) => join(dataDirOf(config), 'theme');

/**
 * Where installs extract before they are swapped in: beside the themes on the same file system
 * (so the swap is a rename), but outside `theme/`, so a half-written theme is never listed or served.
 */
export const themeStagingRoot = (config: BootConfig) => join(dataDirOf(config), '.theme-staging');

/** The built web UI of this checkout is the default theme unless KOMARI_WEB_ROOT names another. */
export const defaultThemeRoot = (config: BootConfig) => config.webRoot || fileURLToPath(new URL('../../../web', import.meta.url));
