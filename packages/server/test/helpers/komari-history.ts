import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yauzl from 'yauzl';
import type { NodeRow } from '../../src/store/types.ts';

/** The shared Komari 1.4.3 backup (read-only): `shared/` beside the checkout, found upwards. */
export const komariFixtureZip = ((): string => {
  const rel = join('shared', 'fixtures', 'komari-1.4.3', 'backup.zip');
  for (let dir = dirname(new URL(import.meta.url).pathname); ; dir = dirname(dir)) {
    if (existsSync(join(dir, rel))) return join(dir, rel);
    if (dirname(dir) === dir) throw new Error(`${rel} not found above the test directory`);
  }
})();

/** Extracts the files of a zip (flat names only) into `dir`. */
export function unzipTo(zipPath: string, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.includes('/') || e.fileName.includes('..')) return zip.readEntry();
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            writeFileSync(join(dir, e.fileName), Buffer.concat(chunks));
            names.push(e.fileName);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** A node row as the client import would create it (only the uuid matters to history). */
export function importedNode(uuid: string, name: string, hidden = false): NodeRow {
  return {
    uuid, token: `tok-${uuid}`, name, cpu_name: '', virtualization: '', arch: '', cpu_cores: 0, cpu_physical_cores: 0, os: '',
    kernel_version: '', gpu_name: '', ipv4: '', ipv6: '', region: '', remark: '', public_remark: '', mem_total: 0,
    swap_total: 0, disk_total: 0, version: '', weight: 0, price: 0, billing_cycle: 0, auto_renewal: false, currency: '$',
    expired_at: null, group: '', tags: '', hidden, traffic_limit: 0, traffic_limit_type: 'max', created_at: 0, updated_at: 0,
  };
}
