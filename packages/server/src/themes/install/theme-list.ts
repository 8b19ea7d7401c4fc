import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ThemeManifest } from '@komari-ts/protocol';
import { shapeManifest } from './manifest.ts';

const manifestName = 'komari-theme.json';

/**
 * A theme folder's manifest in the fixed shape, or undefined when it is missing, not a regular
 * file, larger than `maxBytes` (never read whole into memory then) or not a manifest.
 */
export function readManifestFile(themeDir: string, maxBytes: number): ThemeManifest | undefined {
  let fd: number | undefined;
  try {
    // Non-blocking: a FIFO placed there by hand must not hang the request.
    fd = openSync(join(themeDir, manifestName), constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buf, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return shapeManifest(JSON.parse(buf.subarray(0, read).toString('utf8')));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * `GET /api/admin/theme/list` (themes.md §8.1): the default theme first when it has a manifest,
 * then every installed folder (name order) whose manifest reads; broken ones are skipped. A
 * missing themes folder is no themes; another read failure is thrown for the 500.
 */
export function listThemes(defaultRoot: string, installedRoot: string, maxManifestBytes: number): ThemeManifest[] {
  const out: ThemeManifest[] = [];
  const builtIn = readManifestFile(defaultRoot, maxManifestBytes);
  if (builtIn) out.push(builtIn);
  let names: string[];
  try {
    names = readdirSync(installedRoot, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const name of names.sort()) {
    const manifest = readManifestFile(join(installedRoot, name), maxManifestBytes);
    if (manifest) out.push(manifest);
  }
  return out;
}
