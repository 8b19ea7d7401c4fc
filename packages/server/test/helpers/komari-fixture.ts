import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import yauzl from 'yauzl';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The real Komari 1.4.3 backup (read-only; shared/fixtures/komari-1.4.3/README.md). */
export const sharedFixtureDir = '/work/shared/fixtures/komari-1.4.3';

/** What fixture.json says is in the backup. */
export const sharedFixture: any = JSON.parse(readFileSync(join(sharedFixtureDir, 'fixture.json'), 'utf8'));

/**
 * Extracts backup.zip into a new temp folder, as a Komari data folder: komari.db, metrics.db and
 * the marker. Entries are written by their base name only (the fixture has no folders).
 */
export async function extractSharedFixture(): Promise<{ dir: string; komariDb: string; metricsDb: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'komari-fixture-'));
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(join(sharedFixtureDir, 'backup.zip'), { lazyEntries: true }, (err, z) => (err || !z ? reject(err ?? new Error('no zip')) : resolve(z))),
  );
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      zip.openReadStream(e, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          writeFileSync(join(dir, basename(e.fileName)), Buffer.concat(chunks));
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
