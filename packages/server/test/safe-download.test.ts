import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { isPublicAddress } from '../src/http-client/address-policy.ts';
import { resolveTarget } from '../src/http-client/resolve-target.ts';
import { DownloadFailed, DownloadRefused } from '../src/http-client/errors.ts';
import { downloadToFile, fetchText, type SafeFetchOptions } from '../src/http-client/safe-download.ts';
import { startCaptureServer, type CaptureServer } from './helpers/capture-server.ts';

const portOf = (s: CaptureServer): number => Number(new URL(s.url).port);

describe('the outbound address policy', () => {
  const refused = [
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '100.127.255.255', '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255', '198.18.0.1',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1',
    '64:ff9b::a00:1', '2002:7f00:1::', '2002:c0a8:101::1', 'localhost', 'not-an-ip', '',
  ];
  const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:808:808::1', '[2606:4700::1111]'];

  for (const ip of refused) it(`refuses ${ip || '(empty)'}`, () => assert.equal(isPublicAddress(ip), false));
  for (const ip of allowed) it(`allows ${ip}`, () => assert.equal(isPublicAddress(ip), true));
});

describe('the checked address is the one connected to', () => {
  it('the request’s lookup answers the checked address whatever name it is asked for (no second DNS lookup)', async () => {
    const target = await resolveTarget(new URL('http://127.0.0.1:4321/x'), { loopbackPorts: [4321] });
    const one = await new Promise<unknown[]>((resolve) => target.lookup('rebound.example', {}, (...args: unknown[]) => resolve(args)));
    assert.deepEqual(one, [null, '127.0.0.1', 4]);
    const all = await new Promise<unknown[]>((resolve) => target.lookup('rebound.example', { all: true }, (...args: unknown[]) => resolve(args)));
    assert.deepEqual(all, [null, [{ address: '127.0.0.1', family: 4 }]]);
  });

  it('every address a name resolves to is checked, and the allowance never covers a name', async () => {
    await assert.rejects(resolveTarget(new URL('http://localhost:4321/x'), { loopbackPorts: [4321] }), /localhost .*not a public address/);
  });
});

describe('safeDownload against local servers', () => {
  let dir: string;
  let files: CaptureServer;
  let other: CaptureServer;
  const body = Buffer.from('PK\x03\x04 a theme package, more or less');
  /** connections the streaming servers have seen end, by path */
  const closed = new Map<string, () => void>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'safe-dl-'));
    other = await startCaptureServer((_req, res) => res.end('other'));
    files = await startCaptureServer((req, res) => {
      const p = req.url.pathname;
      if (p === '/theme.zip') return void res.writeHead(200, { 'content-length': body.length }).end(body);
      if (p === '/missing') return void res.writeHead(404).end('no');
      if (p === '/to-other') return void res.writeHead(302, { location: `${other.url}/x` }).end();
      if (p === '/to-private') return void res.writeHead(301, { location: 'http://10.0.0.1/theme.zip' }).end();
      if (p === '/to-metadata') return void res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (p === '/to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      if (p === '/no-location') return void res.writeHead(302).end();
      const hop = /^\/hop\/(\d+)$/.exec(p);
      if (hop) {
        const n = Number(hop[1]);
        if (n === 0) return void res.writeHead(200).end(body);
        return void res.writeHead(302, { location: `/hop/${n - 1}` }).end();
      }
      if (p === '/declared-huge') return void res.writeHead(200, { 'content-length': 10 * 1024 * 1024 }).end();
      if (p === '/endless') return streamForever(res, p);
      if (p === '/whole-chunked') return void res.writeHead(200).end(Buffer.alloc(100 * 1024, 3));
      if (p === '/cut') {
        res.writeHead(200, { 'content-length': 1000 }).write('only this');
        return void setImmediate(() => res.destroy());
      }
      if (p === '/stall') return void res.writeHead(200, { 'content-length': 1000 }).write('just the start');
      res.writeHead(404).end();
    });
  });
  after(async () => {
    await files.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function streamForever(res: ServerResponse, path: string): void {
    res.writeHead(200);
    const chunk = Buffer.alloc(16 * 1024, 7);
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => closed.get(path)?.());
    pump();
  }

  function opts(extra: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
    return { maxBytes: 64 * 1024, timeoutMs: 10_000, maxRedirects: 10, testAllowance: { loopbackPorts: [portOf(files)] }, ...extra };
  }
  const noPartFiles = (): void => assert.deepEqual(readdirSync(dir), []);

  async function refusedWith(url: string, o: SafeFetchOptions, pattern: RegExp, kind: typeof DownloadRefused | typeof DownloadFailed = DownloadRefused): Promise<void> {
    const seenBefore = files.seen.length + other.seen.length;
    await assert.rejects(downloadToFile(url, dir, o), (err: Error) => {
      assert.ok(err instanceof kind, `${err.name}: ${err.message}`);
      assert.match(err.message, pattern);
      return true;
    });
    noPartFiles();
    if (kind === DownloadRefused && !url.includes('/to-') && !url.includes('/hop/')) {
      assert.equal(files.seen.length + other.seen.length, seenBefore, 'a refused target is never contacted');
    }
  }

  it('downloads from the test allowance’s port into a temp file the caller owns', async () => {
    const got = await downloadToFile(`${files.url}/theme.zip`, dir, opts());
    assert.equal(got.bytes, body.length);
    assert.deepEqual(readFileSync(got.path), body);
    rmSync(got.path);
  });

  it('refuses http://127.0.0.1 without the test allowance, and never connects', () =>
    refusedWith(`${files.url}/theme.zip`, opts({ testAllowance: undefined }), /127\.0\.0\.1.*not a public address/));

  it('refuses 127.0.0.1 on a port the allowance does not name', () =>
    refusedWith(`${other.url}/x`, opts(), /not a public address/));

  it('refuses a hostname that resolves to loopback (localhost), even on the allowance’s port', async () => {
    await refusedWith(`http://localhost:${portOf(files)}/theme.zip`, opts({ testAllowance: undefined }), /localhost .*not a public address/);
    await refusedWith(`http://localhost:${portOf(files)}/theme.zip`, opts(), /localhost .*not a public address/);
  });

  for (const target of ['http://10.1.2.3/t.zip', 'http://192.168.1.10/t.zip', 'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/t.zip', 'http://[::1]:80/t.zip', 'http://[fe80::1]/t.zip', 'http://[::ffff:127.0.0.1]/t.zip', 'https://0.0.0.0/t.zip', 'http://2130706433/t.zip']) {
    it(`refuses ${target} before connecting`, () => refusedWith(target, opts(), /not a public address/));
  }

  for (const target of ['ftp://127.0.0.1/theme.zip', 'file:///etc/passwd', 'gopher://127.0.0.1/', 'data:text/plain,hi']) {
    it(`refuses the scheme of ${target}`, () => refusedWith(target, opts(), /unsupported URL scheme/));
  }

  it('refuses credentials in the URL without repeating them', async () => {
    const url = `http://admin:s3cret-pass@127.0.0.1:${portOf(files)}/theme.zip`;
    await refusedWith(url, opts(), /^credentials in the URL are not allowed$/);
  });

  it('refuses a malformed URL', () => refusedWith('http://[::1/x', opts(), /^invalid URL$/));

  it('checks every redirect hop: an allowed server redirecting to a refused port is stopped there', async () => {
    const before = other.seen.length;
    await refusedWith(`${files.url}/to-other`, opts(), /127\.0\.0\.1.*not a public address/);
    assert.equal(other.seen.length, before, 'the refused hop was never contacted');
  });

  it('refuses a redirect to a private address, to the metadata service, to file://', async () => {
    await refusedWith(`${files.url}/to-private`, opts(), /10\.0\.0\.1.*not a public address/);
    await refusedWith(`${files.url}/to-metadata`, opts(), /169\.254\.169\.254.*not a public address/);
    await refusedWith(`${files.url}/to-file`, opts(), /unsupported URL scheme file:/);
  });

  it('follows redirects up to the limit and refuses one more', async () => {
    const got = await downloadToFile(`${files.url}/hop/3`, dir, opts({ maxRedirects: 3 }));
    rmSync(got.path);
    const before = files.seen.length;
    await refusedWith(`${files.url}/hop/4`, opts({ maxRedirects: 3 }), /too many redirects \(more than 3\)/);
    assert.equal(files.seen.length - before, 4, 'the first request and three redirects, then it stopped');
  });

  it('a redirect without a Location and a non-2xx status fail', async () => {
    await refusedWith(`${files.url}/no-location`, opts(), /redirect without a Location/, DownloadFailed);
    await refusedWith(`${files.url}/missing`, opts(), /unexpected HTTP status 404/, DownloadFailed);
  });

  it('refuses a declared Content-Length over the limit before reading the body', () =>
    refusedWith(`${files.url}/declared-huge`, opts(), /larger than 65536 bytes/, DownloadFailed));

  it('stops an endless body at the size limit while streaming, closes the connection and removes the partial file', async () => {
    const connectionClosed = new Promise<void>((resolve) => closed.set('/endless', resolve));
    await refusedWith(`${files.url}/endless`, opts(), /larger than 65536 bytes/, DownloadFailed);
    await connectionClosed;
  });

  it('refuses a chunked body over the limit that arrived whole on a closed connection (it once hung)', () =>
    refusedWith(`${files.url}/whole-chunked`, opts(), /larger than 65536 bytes/, DownloadFailed));

  it('fails a body cut short by the server and removes the partial file', () =>
    refusedWith(`${files.url}/cut`, opts(), /^the connection closed before the file was complete$/, DownloadFailed));

  it('gives up on a server that stalls once the time limit is past, and removes the partial file', () =>
    refusedWith(`${files.url}/stall`, opts({ timeoutMs: 300 }), /did not finish within 300 ms/, DownloadFailed));

  it('fetchText reads a small answer and refuses one over its bound', async () => {
    assert.equal(await fetchText(`${files.url}/hop/1`, opts()), body.toString());
    await assert.rejects(fetchText(`${files.url}/theme.zip`, opts({ maxBytes: 8 })), /larger than 8 bytes/);
    await assert.rejects(fetchText(`${files.url}/theme.zip`, opts({ testAllowance: undefined })), DownloadRefused);
  });
});
