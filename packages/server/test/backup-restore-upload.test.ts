import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { post, sendChunk } from './helpers/restore.ts';
import { http, resultOf, startWithAdmin, type TestServer } from './helpers/server.ts';

// The chunked upload protocol of admin-api.md §11.2 (init, chunk, merge, cancel) with every
// message Komari answers, the bounds komari-ts adds (uploads at once, idle expiry), and the
// older single-request POST /api/admin/upload/backup (§11.4). Limits are shrunk: 1 KiB chunks.

const chunk = 1024;
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('chunked upload: /api/admin/upload/init|chunk|merge|cancel', () => {
  const clock = new ManualClock('2026-12-07T06:00:00Z');
  let s: TestServer;
  let cookie: string;
  const init = (body: unknown) => post(s, cookie, '/api/admin/upload/init', body);
  const start = async (size: number, filename = 'x.zip') => (await init({ purpose: 'backup', size, filename })).json.data.upload_id as string;
  const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);

  before(async () => {
    ({ s, cookie } = await startWithAdmin({
      clock,
      limits: { upload: { chunkBytes: chunk, maxChunkRequestBytes: 2 * chunk, maxUploadBytes: 10_000, maxConcurrent: 2, idleTtlMs: 60_000 } },
    }));
  });
  after(() => s.dispose());

  it('init answers an upload id (uuid v4) and the chunk size; bad requests get Komari’s messages', async () => {
    const ok = await init({ purpose: 'backup', size: 2500, filename: 'b.zip' });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.status, 'success');
    assert.match(ok.json.data.upload_id, uuidV4);
    assert.equal(ok.json.data.chunk_size, chunk);
    await post(s, cookie, '/api/admin/upload/cancel', { upload_id: ok.json.data.upload_id });

    const cases: Array<[unknown, string]> = [
      ['{not json', 'invalid request: '],
      [{ size: 10 }, 'invalid request: purpose is required'],
      [{ purpose: 'backup' }, 'invalid request: size is required'],
      [{ purpose: 'backup', size: '10' }, 'invalid request: size is required'],
      [{ purpose: 'plugin', size: 10 }, 'unsupported upload purpose'],
      [{ purpose: 'backup', size: 0 }, 'size must be between 1 and 10000 bytes'],
      [{ purpose: 'backup', size: 10_001 }, 'size must be between 1 and 10000 bytes'],
      [{ purpose: 'backup', size: 1.5 }, 'size must be between 1 and 10000 bytes'],
      [{ purpose: 'backup', size: 10, filename: 'x'.repeat(2000) }, 'invalid request: filename must be a string of at most 1024 characters'],
    ];
    for (const [body, message] of cases) {
      const res = await init(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.status, 'error');
      assert.ok(res.json.message.startsWith(message), `${res.json.message} for ${JSON.stringify(body).slice(0, 80)}`);
    }
  });

  it('a chunk is checked in Komari’s order and every refusal has its message', async () => {
    const id = await start(2500); // chunks of 1024, 1024, 452
    const cases: Array<[Parameters<typeof sendChunk>[2], number, string]> = [
      [{ upload_id: id, chunk_index: 'one', chunk_data: bytes(chunk) }, 400, 'chunk_index must be an integer'],
      [{ upload_id: id, chunk_index: '1.0', chunk_data: bytes(chunk) }, 400, 'chunk_index must be an integer'],
      [{ upload_id: id, chunk_index: '0' }, 400, 'get chunk data: http: no such file'],
      [{ upload_id: 'not-a-uuid', chunk_index: '0', chunk_data: bytes(chunk) }, 400, 'invalid upload id'],
      [{ chunk_index: '0', chunk_data: bytes(chunk) }, 400, 'invalid upload id'],
      [{ upload_id: '6a1f0f6e-1c1e-4a8e-9d7e-3f2b1c0d9e8f', chunk_index: '0', chunk_data: bytes(chunk) }, 404, 'upload not found or expired'],
      [{ upload_id: id, chunk_index: '3', chunk_data: bytes(452) }, 400, 'invalid chunk index'],
      [{ upload_id: id, chunk_index: '-1', chunk_data: bytes(chunk) }, 400, 'invalid chunk index'],
      [{ upload_id: id, chunk_index: '0', chunk_data: bytes(10) }, 400, 'chunk 0 has size 10, want 1024'],
      [{ upload_id: id, chunk_index: '2', chunk_data: bytes(chunk) }, 400, 'chunk 2 has size 1024, want 452'],
      [{ upload_id: id, chunk_index: '0', chunk_data: bytes(3 * chunk) }, 400, 'get chunk data: http: request body too large'],
    ];
    for (const [fields, status, message] of cases) {
      const res = await sendChunk(s, cookie, fields);
      assert.deepEqual([res.status, res.json], [status, { status: 'error', message }], `${message}`);
    }
    const notMultipart = await post(s, cookie, '/api/admin/upload/chunk', { upload_id: id, chunk_index: 0 });
    assert.deepEqual(notMultipart.json, { status: 'error', message: "get chunk data: request Content-Type isn't multipart/form-data" });
    // None of the refused chunks was kept: only what arrived whole, in the upload's own folder.
    assert.deepEqual(readdirSync(join(s.dir, '.uploads', id)), []);
    assert.deepEqual(readdirSync(join(s.dir, '.uploads', '.incoming')), []);
    await post(s, cookie, '/api/admin/upload/cancel', { upload_id: id });
  });

  it('chunks are files under the data folder; an index sent again replaces the first', async () => {
    const id = await start(1500);
    const first = await sendChunk(s, cookie, { upload_id: id, chunk_index: '0', chunk_data: bytes(chunk, 1) });
    assert.deepEqual(first.json, { status: 'success', message: '', data: { received: true, chunk_index: 0 } });
    await sendChunk(s, cookie, { upload_id: id, chunk_index: '0', chunk_data: bytes(chunk, 2) });
    assert.deepEqual(readFileSync(join(s.dir, '.uploads', id, '0.part')), bytes(chunk, 2));
    await post(s, cookie, '/api/admin/upload/cancel', { upload_id: id });
  });

  it('merge refuses a gap and cancels the upload', async () => {
    const id = await start(2500);
    await sendChunk(s, cookie, { upload_id: id, chunk_index: '0', chunk_data: bytes(chunk) });
    await sendChunk(s, cookie, { upload_id: id, chunk_index: '2', chunk_data: bytes(452) });
    const res = await post(s, cookie, '/api/admin/upload/merge', { upload_id: id });
    assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'chunk 1 is missing' }]);
    const again = await sendChunk(s, cookie, { upload_id: id, chunk_index: '1', chunk_data: bytes(chunk) });
    assert.equal(again.status, 404);
    assert.equal(existsSync(join(s.dir, '.uploads', id)), false);
  });

  it('a backup merge refuses a name without .zip and content that is not a zip, and cancels', async () => {
    for (const [filename, message] of [
      ['backup.tar', 'uploaded file must be a ZIP archive'],
      ['backup.ZIP', 'invalid backup file: zip: not a valid zip file'],
    ]) {
      const id = await start(100, filename);
      await sendChunk(s, cookie, { upload_id: id, chunk_index: '0', chunk_data: bytes(100) });
      const res = await post(s, cookie, '/api/admin/upload/merge', { upload_id: id });
      assert.deepEqual([res.status, res.json], [400, { status: 'error', message }]);
      assert.equal(existsSync(join(s.dir, '.uploads', id)), false);
    }
    const logs = await http(s.url, '/api/admin/logs?limit=10', { cookie });
    assert.ok(JSON.stringify(logs.json).includes('restore backup backup.tar refused: uploaded file must be a ZIP archive'));
  });

  it('cancel deletes the upload; a bad or unknown id is refused', async () => {
    const id = await start(100);
    await sendChunk(s, cookie, { upload_id: id, chunk_index: '0', chunk_data: bytes(100) });
    const res = await post(s, cookie, '/api/admin/upload/cancel', { upload_id: id });
    assert.deepEqual(res.json, { status: 'success', message: '', data: {} });
    assert.equal(existsSync(join(s.dir, '.uploads', id)), false);
    assert.deepEqual((await post(s, cookie, '/api/admin/upload/cancel', {})).json, { status: 'error', message: 'invalid upload id' });
    assert.equal((await post(s, cookie, '/api/admin/upload/cancel', { upload_id: id })).status, 404);
    assert.deepEqual((await post(s, cookie, '/api/admin/upload/merge', { upload_id: 7 })).json, { status: 'error', message: 'invalid upload id' });
  });

  it('uploads at once are bounded (429), and an idle one expires by the sweep job', async () => {
    const a = await start(100);
    await start(100);
    const third = await init({ purpose: 'backup', size: 100 });
    assert.deepEqual([third.status, third.json], [429, { status: 'error', message: 'too many concurrent uploads' }]);
    clock.advance(60_001);
    await s.ctx.jobs.run('upload-sweep');
    assert.equal((await sendChunk(s, cookie, { upload_id: a, chunk_index: '0', chunk_data: bytes(100) })).status, 404);
    assert.deepEqual(readdirSync(join(s.dir, '.uploads')), ['.incoming']);
    assert.equal((await init({ purpose: 'backup', size: 100 })).status, 200);
  });
});

describe('single-request backup upload: POST /api/admin/upload/backup', () => {
  let s: TestServer;
  let cookie: string;
  const send = async (form: FormData) =>
    resultOf(await fetch(`${s.url}/api/admin/upload/backup`, { method: 'POST', body: form, headers: { cookie: `session_token=${cookie}` } }));

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { upload: { maxUploadBytes: 4096 } } }));
  });
  after(() => s.dispose());

  it('refuses a form without the file, a file that is not a zip, one over the size bound', async () => {
    const empty = new FormData();
    empty.append('other', 'x');
    assert.deepEqual((await send(empty)).json, { status: 'error', message: 'get backup file: http: no such file' });
    const junk = new FormData();
    junk.append('backup', new Blob([Buffer.alloc(100, 7)]), 'b.zip');
    assert.deepEqual((await send(junk)).json, { status: 'error', message: 'invalid backup file: zip: not a valid zip file' });
    const big = new FormData();
    big.append('backup', new Blob([Buffer.alloc(5000, 7)]), 'b.zip');
    const res = await send(big);
    assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'get backup file: http: request body too large' }]);
    const json = await post(s, cookie, '/api/admin/upload/backup', {});
    assert.equal(json.status, 400);
    // the refused body's partial file is removed as its stream ends, which may follow the answer
    await eventually(() => readdirSync(join(s.dir, '.uploads', '.incoming')).length === 0, 10_000);
  });

  it('answers 409 with Komari’s capitalised message while a restore is under way', async () => {
    assert.ok(s.ctx.restore.lock.acquire());
    try {
      const form = new FormData();
      form.append('backup', new Blob([Buffer.alloc(100)]), 'b.zip');
      const res = await send(form);
      assert.deepEqual([res.status, res.json], [409, { status: 'error', message: 'Another restore operation is already in progress' }]);
      const status = await http(s.url, '/api/admin/backup/status', { cookie });
      assert.deepEqual(status.json, { status: 'success', message: '', data: { restoring: true, last: null } });
    } finally {
      s.ctx.restore.lock.release();
    }
  });
});
