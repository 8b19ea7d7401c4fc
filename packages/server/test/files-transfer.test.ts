import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { FileAgent } from './helpers/file-agent.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const KiB = 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('file upload, download and preview through stream transfers', () => {
  let s: TestServer;
  let cookie: string;
  let root: string;
  let agent: FileAgent;
  let node: { uuid: string; token: string };
  const big = randomBytes(3 * 1024 * KiB + 123);

  before(async () => {
    // Small chunks so a few MiB take many transfers; short preview TTL to see it expire.
    ({ s, cookie } = await startWithAdmin({ limits: { files: { minChunkBytes: 64 * KiB, defaultChunkBytes: 512 * KiB, previewTtlMs: 2000 } } }));
    root = mkdtempSync(join(tmpdir(), 'komari-files-'));
    writeFileSync(join(root, 'big.bin'), big);
    writeFileSync(join(root, 'empty.txt'), '');
    writeFileSync(join(root, 'naïve résumé.txt'), 'bonjour');
    node = await addNode(s, cookie, 'files');
    agent = await FileAgent.connect(s.url, node.token, root);
  });

  after(async () => {
    agent.close();
    await s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const upload = (op: string, body?: string | Buffer, headers: Record<string, string> = {}, query = '') =>
    fetch(`${s.url}/api/admin/client/${node.uuid}/file/upload?operation=${op}${query}`, { method: 'POST', headers: { cookie: `session_token=${cookie}`, ...headers }, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));

  test('download of a few MiB in many chunks: bytes, sha256 and every header', async () => {
    const res = await fetch(`${s.url}/api/admin/client/${node.uuid}/file/download?path=/big.bin`, { headers: { cookie: `session_token=${cookie}` } });
    assert.equal(res.status, 200);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(sha(body), sha(big));
    const h = res.headers;
    assert.equal(h.get('content-length'), String(big.length));
    assert.equal(h.get('accept-ranges'), 'bytes');
    assert.equal(h.get('content-encoding'), 'identity');
    assert.equal(h.get('cache-control'), 'no-store, no-transform');
    assert.equal(h.get('x-accel-buffering'), 'no');
    assert.equal(h.get('x-komari-transfer-chunk-size'), String(512 * KiB));
    assert.equal(h.get('content-disposition'), 'attachment; filename="big.bin"');
    assert.equal(h.get('content-type'), 'application/octet-stream');
    assert.match(h.get('etag')!, /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.ok(h.get('last-modified'));
    const streams = agent.received.filter((p) => p.op === 'download_stream');
    assert.equal(streams.length, Math.ceil(big.length / (512 * KiB)));
    assert.ok(streams.every((p) => p.args.file_size === big.length && /^[0-9a-f-]{36}$/.test(p.args.transfer_id)));
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0);
    const logs = JSON.stringify((await http(s.url, '/api/admin/logs?limit=20&page=1', { cookie })).json);
    assert.ok(logs.includes(`file download: ${node.uuid}:/big.bin (${big.length} bytes)`), logs.slice(0, 500));
  });

  test('non-ASCII names get filename*; inline=1; HEAD sends headers only; a directory is 400', async () => {
    const res = await http(s.url, `/api/admin/client/${node.uuid}/file/download?path=${encodeURIComponent('/naïve résumé.txt')}&inline=1`, { cookie });
    assert.equal(res.text, 'bonjour');
    assert.equal(res.headers.get('content-disposition'), `inline; filename="na_ve r_sum_.txt"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt`);
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    const head = await fetch(`${s.url}/api/admin/client/${node.uuid}/file/download?path=/big.bin`, { method: 'HEAD', headers: { cookie: `session_token=${cookie}` } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(big.length));
    const dir = await http(s.url, `/api/admin/client/${node.uuid}/file/download?path=/`, { cookie });
    assert.deepEqual([dir.status, dir.json.message], [400, 'cannot download a directory']);
    const missing = await http(s.url, `/api/admin/client/${node.uuid}/file/download?path=/nope`, { cookie });
    assert.equal(missing.status, 502);
    const empty = await http(s.url, `/api/admin/client/${node.uuid}/file/download?path=/empty.txt`, { cookie });
    assert.deepEqual([empty.status, empty.text, empty.headers.get('content-length')], [200, '', '0']);
  });

  test('Range: bytes=a-b, a-, -n across chunk borders; If-Range; 416 with Content-Range */size', async () => {
    const get = (range: string, extra: Record<string, string> = {}) =>
      fetch(`${s.url}/api/admin/client/${node.uuid}/file/download?path=/big.bin`, { headers: { cookie: `session_token=${cookie}`, range, ...extra } });
    const a = 500 * KiB;
    const b = 1100 * KiB;
    let res = await get(`bytes=${a}-${b}`);
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes ${a}-${b}/${big.length}`);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(big.subarray(a, b + 1)));
    res = await get('bytes=-100');
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(big.subarray(big.length - 100)));
    res = await get(`bytes=${big.length - 10}-`);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(big.subarray(big.length - 10)));
    const etag = res.headers.get('etag')!;
    res = await get('bytes=0-9', { 'if-range': etag });
    assert.equal(res.status, 206);
    await res.arrayBuffer();
    res = await get('bytes=0-9', { 'if-range': '"stale"' });
    assert.equal(res.status, 200, 'a stale If-Range serves the whole file');
    await res.body?.cancel();
    for (const bad of [`bytes=${big.length}-`, 'bytes=5-2', 'bytes=0-1,4-5', 'items=0-1', 'bytes=-0']) {
      res = await get(bad);
      assert.equal(res.status, 416, bad);
      assert.equal(res.headers.get('content-range'), `bytes */${big.length}`);
      await res.arrayBuffer();
    }
    await eventually(() => s.ctx.files.transfers.size === 0);
  });

  test('upload of a few MiB in chunks, headers or query for the ids; merge renames into place; audited', async () => {
    const data = randomBytes(2 * 1024 * KiB + 77);
    const init = await upload('init', JSON.stringify({ path: '/up.bin', size: data.length, chunk_size: 256 * KiB }));
    assert.equal(init.status, 200, JSON.stringify(init.json));
    const { upload_id: id, chunk_size: cs, chunk_count: count } = init.json.data;
    assert.deepEqual(init.json.data, { upload_id: id, chunk_size: 256 * KiB, chunk_count: 9, next_offset: 0, next_chunk_index: 0, complete: false });
    for (let i = 0; i < count; i++) {
      const piece = data.subarray(i * cs, (i + 1) * cs);
      const res = i % 2 === 0 ? await upload('chunk', piece, { 'x-komari-upload-id': id, 'x-komari-chunk-index': String(i) }) : await upload('chunk', piece, {}, `&upload_id=${id}&chunk_index=${i}`);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.deepEqual(res.json.data, { received: true, chunk_index: i, next_offset: Math.min((i + 1) * cs, data.length) });
    }
    const merged = await upload('merge', JSON.stringify({ upload_id: id }));
    assert.deepEqual(merged.json.data, { complete: true });
    assert.equal(sha(readFileSync(join(root, 'up.bin'))), sha(data));
    assert.deepEqual(readdirSync(root).filter((n) => n.includes('komari-upload')), []);
    assert.equal(s.ctx.files.uploads.size, 0);
    const logs = JSON.stringify((await http(s.url, '/api/admin/logs?limit=20&page=1', { cookie })).json);
    assert.ok(logs.includes(`file upload: ${node.uuid}:/up.bin (${data.length} bytes)`));
  });

  test('an empty upload is the agent op create', async () => {
    const init = await upload('init', JSON.stringify({ path: '/zero.txt', size: 0 }));
    assert.deepEqual(init.json.data, { complete: true, chunk_size: 512 * KiB });
    assert.equal(agent.received.at(-1).op, 'create');
    assert.equal(readFileSync(join(root, 'zero.txt')).length, 0);
  });

  test('upload refusals: wrong chunk size, out of order, unknown id, bad init, unknown operation, too many sessions', async () => {
    const init = await upload('init', JSON.stringify({ path: '/r.bin', size: 300 * KiB, chunk_size: 128 * KiB }));
    const id = init.json.data.upload_id;
    const short = await upload('chunk', Buffer.alloc(100), { 'x-komari-upload-id': id, 'x-komari-chunk-index': '0' });
    assert.equal(short.status, 400);
    assert.match(short.json.message, /^invalid chunk size: expected 131072 bytes/);
    const skip = await upload('chunk', Buffer.alloc(128 * KiB), { 'x-komari-upload-id': id, 'x-komari-chunk-index': '1' });
    assert.equal(skip.status, 400);
    // A chunked body (no Content-Length) that runs short is caught while it streams.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${s.url}/api/admin/client/${node.uuid}/file/upload?operation=chunk&upload_id=${id}&chunk_index=0`, { method: 'POST', headers: { cookie: `session_token=${cookie}`, 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (b) => (body += b));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end(Buffer.alloc(1000));
    });
    assert.equal(streamed.status, 400, streamed.body);
    assert.match(streamed.body, /ended early/);
    const unknown = await upload('chunk', Buffer.alloc(10), { 'x-komari-upload-id': 'f'.repeat(32), 'x-komari-chunk-index': '0' });
    assert.deepEqual([unknown.status, unknown.json.message], [410, 'unknown or expired upload session']);
    assert.equal((await upload('init', JSON.stringify({ path: '/x', size: -1 }))).status, 400);
    assert.equal((await upload('init', JSON.stringify({ path: '/x', size: 10, chunk_size: 10 }))).status, 400);
    assert.equal((await upload('init', JSON.stringify({ size: 10 }))).json.message, 'path is required');
    assert.equal((await upload('init', '{not json')).status, 400);
    assert.equal((await upload('init', JSON.stringify({ path: '/../etc/passwd', size: 1 }))).status, 400);
    const op = await upload('resume', '{}');
    assert.deepEqual([op.status, op.json.message], [404, 'unknown upload operation']);
    const ids = [id];
    for (let i = 0; i < 3; i++) ids.push((await upload('init', JSON.stringify({ path: `/p${i}`, size: 10 * KiB, chunk_size: 64 * KiB }))).json.data.upload_id);
    const fifth = await upload('init', JSON.stringify({ path: '/p9', size: 10, chunk_size: 64 * KiB }));
    assert.deepEqual([fifth.status, fifth.json.message], [429, 'too many concurrent uploads']);
    for (const u of ids) assert.deepEqual((await upload('cancel', undefined, {}, `&upload_id=${u}`)).json.data, { cancelled: true });
    assert.equal(s.ctx.files.uploads.size, 0);
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0);
  });

  test('preview token: valid and reusable, wrong path, other client, expired', async () => {
    const t = await http(s.url, `/api/admin/client/${node.uuid}/file/preview-token?path=/big.bin`, { cookie });
    assert.equal(t.json.data.expires_in, 2);
    const token = t.json.data.token;
    assert.match(token, /^[0-9a-f-]{36}$/);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${s.url}/api/preview/client/${node.uuid}/file/download?preview_token=${token}&filename=${encodeURIComponent('café.bin')}`, { headers: { range: 'bytes=0-99' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="caf_.bin"');
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(big.subarray(0, 100)));
    }
    const dflt = await fetch(`${s.url}/api/preview/client/${node.uuid}/file/download?preview_token=${token}`, { method: 'HEAD' });
    assert.equal(dflt.headers.get('content-disposition'), 'attachment; filename="komari-preview"');
    const wrongPath = await http(s.url, `/api/preview/client/${node.uuid}/file/download?preview_token=${token}&path=/up.bin`);
    assert.deepEqual([wrongPath.status, wrongPath.json.message], [401, 'Invalid or expired preview token']);
    const otherNode = await http(s.url, `/api/preview/client/not-${node.uuid}/file/download?preview_token=${token}`);
    assert.equal(otherNode.status, 401);
    assert.equal((await http(s.url, `/api/preview/client/${node.uuid}/file/download?preview_token=nope`)).status, 401);
    await eventually(async () => (await http(s.url, `/api/preview/client/${node.uuid}/file/download?preview_token=${token}`, { method: 'HEAD' })).status === 401, 4000);
    assert.equal((await http(s.url, `/api/admin/client/${node.uuid}/file/preview-token?path=/big.bin`)).status, 401, 'minting needs an admin');
  });

  test('a browser dropping a download mid-transfer leaves no transfer, call or session behind', async () => {
    const ac = new AbortController();
    const res = await fetch(`${s.url}/api/admin/client/${node.uuid}/file/download?path=/big.bin`, { headers: { cookie: `session_token=${cookie}` }, signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0, 5000);
    // The agent is still usable afterwards.
    const again = await fetch(`${s.url}/api/admin/client/${node.uuid}/file/download?path=/big.bin`, { headers: { cookie: `session_token=${cookie}` } });
    assert.equal(sha(Buffer.from(await again.arrayBuffer())), sha(big));
  });

  test('a disabled agent makes the routes 501 with the update hint; an unknown client is 404', async () => {
    agent.opts = { disabled: true };
    const res = await http(s.url, `/api/admin/client/${node.uuid}/file/download?path=/big.bin`, { cookie });
    assert.deepEqual([res.status, res.json.message], [501, 'Agent does not support real-time file transfer; update the Agent binary']);
    agent.opts = {};
    const unknown = await http(s.url, `/api/admin/client/nope/file/download?path=/big.bin`, { cookie });
    assert.deepEqual([unknown.status, unknown.json.message], [404, 'client not found']);
    assert.equal(existsSync(join(root, 'big.bin')), true);
  });
});
