import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultServerLimits } from '../src/config/limits.ts';
import { UploadService } from '../src/upload/upload-service.ts';
import { ManualClock } from './helpers/clock.ts';
import { post, sendChunk } from './helpers/restore.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';

/*
 * The chunked upload under hostile timing and names. Before the fix a second merge of the same
 * upload ran beside the first (both writing one `merged` file, the loser deleting the folder the
 * winner's restore was reading), a chunk or a cancel could land while a merge ran, and the idle
 * sweep could delete a merged upload its purpose was still validating.
 */

const chunk = 1024;

describe('upload service: a merge owns its upload until its purpose is done', () => {
  const clock = new ManualClock('2026-12-07T06:00:00Z');
  let root: string;
  let svc: UploadService;
  const limits = { ...defaultServerLimits.upload, chunkBytes: chunk, idleTtlMs: 60_000 };

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'upload-attacks-'));
    svc = new UploadService(join(root, 'uploads'), limits, clock, ['backup']);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** An upload of `n` chunks with every chunk in place; its bytes. */
  function filled(n: number): { id: string; bytes: Buffer } {
    const { upload_id: id } = svc.init('backup', n * chunk, 'b.zip');
    const parts = Array.from({ length: n }, (_, i) => Buffer.alloc(chunk, i + 1));
    for (const [i, part] of parts.entries()) {
      const file = svc.incomingPath();
      writeFileSync(file, part);
      const u = svc.hold(id);
      try {
        svc.putChunk(u, i, file, part.length);
      } finally {
        svc.release(u);
      }
    }
    return { id, bytes: Buffer.concat(parts) };
  }

  it('a second merge while the first runs is refused; the first merges every byte', async () => {
    const { id, bytes } = filled(64);
    const first = svc.merge(id);
    await assert.rejects(svc.merge(id), { message: 'upload is being merged' });
    const merged = await first;
    assert.deepEqual(readFileSync(merged.path), bytes);
    // Merged and handed to its purpose: still not merged again, not cancelled, not swept.
    await assert.rejects(svc.merge(id), { message: 'upload is being merged' });
    assert.throws(() => svc.cancel(id), { message: 'upload is being merged' });
    clock.advance(limits.idleTtlMs * 2);
    assert.equal(svc.sweep(), 0);
    assert.ok(existsSync(merged.path));
    svc.discard(merged);
    assert.equal(existsSync(join(root, 'uploads', id)), false);
    assert.equal(svc.active, 0);
  });

  it('a chunk or a cancel arriving during a merge is refused and changes nothing', async () => {
    const { id, bytes } = filled(32);
    const merging = svc.merge(id);
    const file = svc.incomingPath();
    writeFileSync(file, Buffer.alloc(chunk, 0xee));
    const u = svc.hold(id);
    try {
      assert.throws(() => svc.putChunk(u, 3, file, chunk), { message: 'upload is being merged' });
    } finally {
      svc.release(u);
    }
    assert.throws(() => svc.cancel(id), { message: 'upload is being merged' });
    const merged = await merging;
    assert.deepEqual(readFileSync(merged.path), bytes);
    svc.discard(merged);
  });

  it('an id in capitals names the same upload, and the merged upload is deleted under its own id', async () => {
    const { id } = filled(2);
    const merged = await svc.merge(id.toUpperCase());
    assert.equal(merged.id, id);
    svc.discard(merged);
    assert.equal(existsSync(join(root, 'uploads', id)), false);
  });
});

describe('upload routes: hostile ids and names', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { upload: { chunkBytes: chunk, maxChunkRequestBytes: 2 * chunk, maxUploadBytes: 10_000, maxConcurrent: 2 } } }));
  });
  after(() => s.dispose());

  it('upload ids that are paths, absolute, very long or hold NUL are refused before any file is touched', async () => {
    const hostile = ['../x', '../../../../etc/passwd', '/etc/passwd', 'a'.repeat(100_000), '6a1f0f6e-1c1e-4a8e-9d7e-3f2b1c0d9e8f\0', '.incoming', '..', ''];
    for (const upload_id of hostile) {
      for (const path of ['/api/admin/upload/merge', '/api/admin/upload/cancel']) {
        const res = await post(s, cookie, path, { upload_id });
        assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'invalid upload id' }], `${path} ${upload_id.slice(0, 40)}`);
      }
      const res = await sendChunk(s, cookie, { upload_id, chunk_index: '0', chunk_data: Buffer.alloc(10) });
      // (the 100,000-character one does not fit a chunk request at all)
      const message = upload_id.length > 1000 ? 'get chunk data: http: request body too large' : 'invalid upload id';
      assert.deepEqual([res.status, res.json], [400, { status: 'error', message }]);
    }
    assert.deepEqual(readdirSync(join(s.dir, '.uploads')), ['.incoming']);
    assert.deepEqual(readdirSync(join(s.dir, '.uploads', '.incoming')), []);
  });

  it('a filename with slashes, dots or NUL is only a name: nothing is written where it points', async () => {
    for (const filename of ['../../../escape.zip', '/tmp/abs.zip', 'a\0b.zip', 'x/../../y.zip']) {
      const init = await post(s, cookie, '/api/admin/upload/init', { purpose: 'backup', size: 100, filename });
      assert.equal(init.status, 200, init.text);
      const id = init.json.data.upload_id as string;
      await sendChunk(s, cookie, { upload_id: id, chunk_index: '0', chunk_data: Buffer.alloc(100) });
      const res = await post(s, cookie, '/api/admin/upload/merge', { upload_id: id });
      assert.deepEqual([res.status, res.json.message], [400, 'invalid backup file: zip: not a valid zip file']);
      assert.equal(existsSync(join(s.dir, '.uploads', id)), false);
    }
    assert.equal(existsSync(join(s.dir, '..', '..', 'escape.zip')), false);
    assert.equal(existsSync('/tmp/abs.zip'), false);
    assert.deepEqual(readdirSync(s.dir).filter((f) => f.endsWith('.zip')), []);
  });

  it('two merges of one upload sent at once: one answer is the merge, the other a refusal, never a 500', async () => {
    const init = await post(s, cookie, '/api/admin/upload/init', { purpose: 'backup', size: 8 * chunk, filename: 'two.zip' });
    const id = init.json.data.upload_id as string;
    for (let i = 0; i < 8; i++) await sendChunk(s, cookie, { upload_id: id, chunk_index: String(i), chunk_data: Buffer.alloc(chunk, i) });
    const answers = await Promise.all([0, 1].map(() => post(s, cookie, '/api/admin/upload/merge', { upload_id: id })));
    const messages = answers.map((a) => `${a.status} ${a.json.message}`).sort();
    // The merged bytes are no zip: the merge that ran answers that; the other was refused as it came.
    assert.ok(messages.includes('400 invalid backup file: zip: not a valid zip file'), messages.join(' | '));
    assert.ok(answers.every((a) => a.status === 400 || a.status === 404), messages.join(' | '));
    assert.equal(existsSync(join(s.dir, '.uploads', id)), false);
  });
});
