import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The real Komari 1.4.3 backup (read-only; shared/fixtures/komari-1.4.3/README.md): `shared/`
 * beside the checkout, found upwards from here, else the machines' /work/shared.
 */
export const sharedFixtureDir = ((): string => {
  const rel = join('shared', 'fixtures', 'komari-1.4.3');
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, rel, 'backup.zip'))) return join(dir, rel);
  }
  return join('/work', rel);
})();

/** What fixture.json says is in the backup. */
export const sharedFixture: any = JSON.parse(readFileSync(join(sharedFixtureDir, 'fixture.json'), 'utf8'));

/**
 * Extracts backup.zip into `dir` (a new temp folder when not given), as a Komari data folder:
 * komari.db, metrics.db and the marker. The fixture has no folders: an entry with one is passed over.
 */
export async function extractSharedFixture(dir = mkdtempSync(join(tmpdir(), 'komari-fixture-'))): Promise<{ dir: string; komariDb: string; metricsDb: string }> {
  mkdirSync(dir, { recursive: true });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(join(sharedFixtureDir, 'backup.zip'), { lazyEntries: true }, (err, z) => (err || !z ? reject(err ?? new Error('no zip')) : resolve(z))),
  );
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (e.fileName !== basename(e.fileName)) return zip.readEntry();
      zip.openReadStream(e, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          writeFileSync(join(dir, e.fileName), Buffer.concat(chunks));
          zip.readEntry();
        });
        stream.on('error', reject);
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return { dir, komariDb: join(dir, 'komari.db'), metricsDb: join(dir, 'metrics.db') };
}
