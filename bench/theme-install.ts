/**
 * Theme install: a theme package of `--mib` MiB (a few hundred files: compressible JS and
 * incompressible images) is installed through the chunked upload on a server child; the install
 * time (upload + merge, i.e. check, extract with every byte counted, swap) and the server's peak
 * RSS are printed beside a baseline in the same run: the same archive extracted by a bare yauzl
 * script in a separate process (what any unzip costs, without the checks or the upload).
 *
 *   node bench/theme-install.ts              # 20 MiB
 *   node bench/theme-install.ts --mib 100
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { readFlags } from './lib/args.ts';
import { sampleProc } from './lib/proc.ts';
import { startServerChild } from './lib/server.ts';
import { conditions, mib, table } from './lib/stats.ts';
import { uploadInChunks } from './lib/chunked-upload.ts';

const f = readFlags('theme install benchmark: a theme package through the chunked upload', {
  mib: { default: 20, help: 'size of the theme archive, MiB (about)' },
});


/** JS that compresses about 5:1 (identifiers and numbers vary), like a minified bundle. */
function jsText(bytes: number, seed: number): Buffer {
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const line = `export function f${seed}_${i}(a,b){return a*${(i * 7919) % 10007}+b.map(x=>x.v${i % 97}).join("${randomBytes(4).toString('hex')}")}\n`;
    lines.push(line);
    n += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

/** A package of about `mib` MiB: three quarters of the archive images (random bytes), the rest JS. */
async function buildPackage(mibs: number): Promise<{ zip: Buffer; files: number; unpacked: number }> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(JSON.stringify({ name: 'Bench', short: 'bench', version: '1.0.0' })), 'komari-theme.json');
  zip.addBuffer(Buffer.from('<!doctype html><html><head></head><body></body></html>'), 'dist/index.html');
  const images = 120;
  const imageBytes = Math.floor((mibs * 0.75 * 1024 * 1024) / images);
  const scripts = 240;
  // the generated JS compresses about 5:1
  const scriptBytes = Math.floor((mibs * 0.25 * 5 * 1024 * 1024) / scripts);
  for (let i = 0; i < images; i++) zip.addBuffer(randomBytes(imageBytes), `dist/images/img-${i}.png`, { compress: false });
  for (let i = 0; i < scripts; i++) zip.addBuffer(jsText(scriptBytes, i), `dist/assets/chunk-${i}.js`);
  zip.end();
  const parts: Buffer[] = [];
  for await (const c of zip.outputStream) parts.push(c as Buffer);
  return { zip: Buffer.concat(parts), files: images + scripts + 2, unpacked: images * imageBytes + scripts * scriptBytes };
}


/** The baseline: a bare yauzl extraction of the archive in its own process; its time and peak RSS. */
function bareExtract(zipPath: string, dest: string): { ms: number; peakRss: number } {
  const script = `
    import yauzl from 'yauzl';
    import { createWriteStream, mkdirSync } from 'node:fs';
    import { dirname, join } from 'node:path';
    import { pipeline } from 'node:stream/promises';
    const t = performance.now();
    const zip = await new Promise((ok, ko) => yauzl.open(process.argv[1], { lazyEntries: true }, (e, z) => (e ? ko(e) : ok(z))));
    await new Promise((done, fail) => {
      zip.on('entry', (e) => {
        const target = join(process.argv[2], e.fileName);
        mkdirSync(dirname(target), { recursive: true });
        zip.openReadStream(e, (err, s) => {
          if (err) return fail(err);
          pipeline(s, createWriteStream(target)).then(() => zip.readEntry(), fail);
        });
      });
      zip.on('end', done);
      zip.readEntry();
    });
    console.log(JSON.stringify({ ms: performance.now() - t, peakRss: process.resourceUsage().maxRSS * 1024 }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, zipPath, dest], { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname });
  return JSON.parse(out) as { ms: number; peakRss: number };
}

console.log(conditions());
const dir = mkdtempSync(join(tmpdir(), 'komari-bench-theme-'));
try {
  const pkg = await buildPackage(f.mib);
  const zipPath = join(dir, 'bench.zip');
  writeFileSync(zipPath, pkg.zip);
  console.log(`package: ${pkg.files} files, ${mib(pkg.zip.length)} zipped, ${mib(pkg.unpacked)} unpacked`);

  const bare = bareExtract(zipPath, join(dir, 'bare'));

  const s = await startServerChild();
  let installMs: number;
  let before: number;
  let peakBefore: number;
  let peak: number;
  try {
    ({ rss: before, peakRss: peakBefore } = sampleProc(s.child.pid));
    const t = performance.now();
    await uploadInChunks(s, 'theme', pkg.zip); // the merge installs
    installMs = performance.now() - t;
    peak = sampleProc(s.child.pid).peakRss;
  } finally {
    await s.stop();
  }

  console.log(`\ntheme install: ${mib(pkg.zip.length)} archive, ${pkg.files} files`);
  table([
    ['step', 'time', 'peak RSS'],
    ['baseline: bare yauzl extraction, own process', `${(bare.ms / 1000).toFixed(2)} s`, mib(bare.peakRss)],
    ['chunked upload + merge (check, extract counted, swap)', `${(installMs / 1000).toFixed(2)} s`, `${mib(peak)} (server high-water mark; before the install: RSS ${mib(before)}, high-water mark ${mib(peakBefore)})`],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
