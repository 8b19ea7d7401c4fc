import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ThemeManifest } from '@komari-ts/protocol';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { installedThemesRoot, themeStagingRoot } from '../theme-paths.ts';
import { extractThemeZip } from './theme-zip.ts';

/**
 * Installs the theme package at `zipPath` (themes.md §1): checked and extracted into a staging
 * folder under the data folder, then swapped in by rename as `<data>/theme/<short>/`, replacing a
 * theme of the same short whole. A refused package (AppError 400 with Komari's message) changes
 * nothing. The active theme setting is left alone. `replaced` says a theme of that short was there.
 *
 * The swap is two synchronous renames in one turn of the event loop, so installs and deletes
 * running at once never see each other's half-done swap and need no lock.
 */
export async function installThemeZip(app: AppContext, zipPath: string): Promise<{ manifest: ThemeManifest; replaced: boolean }> {
  const stagingRoot = themeStagingRoot(app.config);
  mkdirSync(stagingRoot, { recursive: true, mode: 0o700 });
  const staging = join(stagingRoot, randomUUID());
  try {
    const manifest = await extractThemeZip(zipPath, staging, app.limits.themes);
    const root = installedThemesRoot(app.config);
    mkdirSync(root, { recursive: true });
    const old = join(stagingRoot, `${randomUUID()}.old`);
    const replaced = swapIn(staging, join(root, manifest.short), old);
    // The new theme is in place already: a failure to remove the old one is only left-over space.
    if (replaced) await rm(old, { recursive: true, force: true }).catch(() => undefined);
    return { manifest, replaced };
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A file-system reason names the server's paths: its code is enough for the answer.
    app.log.error({ err }, 'theme install failed');
    throw AppError.internal(`安装主题失败: ${(err as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `staging` becomes `target`; an old `target` is moved to `old`. True when there was one. */
function swapIn(staging: string, target: string, old: string): boolean {
  const replaced = existsSync(target);
  if (replaced) renameSync(target, old);
  try {
    renameSync(staging, target);
  } catch (err) {
    if (replaced) renameSync(old, target);
    throw err;
  }
  return replaced;
}

/**
 * Removes an installed theme's folder: moved out of `theme/` at once (it stops being listed and
 * served), then deleted. False when there was none.
 */
export async function removeInstalledTheme(app: AppContext, short: string): Promise<boolean> {
  const target = join(installedThemesRoot(app.config), short);
  if (!existsSync(target)) return false;
  const stagingRoot = themeStagingRoot(app.config);
  mkdirSync(stagingRoot, { recursive: true, mode: 0o700 });
  const trash = join(stagingRoot, `${randomUUID()}.deleted`);
  renameSync(target, trash);
  await rm(trash, { recursive: true, force: true });
  return true;
}

/** Left-overs of installs cut short by a stop (their staging folders) are deleted; called at start. */
export async function clearThemeStaging(app: AppContext): Promise<void> {
  await rm(themeStagingRoot(app.config), { recursive: true, force: true });
}
