import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ThemeManifest } from '@komari-ts/protocol';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { manifestRefusals } from '../install/manifest.ts';
import { extractThemeZip } from '../install/theme-zip.ts';
import { themeStagingRoot } from '../theme-paths.ts';

/**
 * The manifest of a package as an install would accept it, installing nothing: the package is
 * checked and extracted into a staging folder exactly as `installThemeZip` does, then thrown
 * away, so a preview that succeeds means the install will. A package without a manifest gets
 * Komari's preview wording (themes.md §2).
 */
export async function previewThemeZip(app: AppContext, zipPath: string): Promise<ThemeManifest> {
  const stagingRoot = themeStagingRoot(app.config);
  mkdirSync(stagingRoot, { recursive: true, mode: 0o700 });
  const staging = join(stagingRoot, `${randomUUID()}.preview`);
  try {
    return await extractThemeZip(zipPath, staging, app.limits.themes);
  } catch (err) {
    if (err instanceof AppError && err.message === manifestRefusals.missing) {
      throw AppError.invalidParams(`${manifestRefusals.missing}，不是合法的主题包`);
    }
    throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
