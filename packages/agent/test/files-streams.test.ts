import assert from 'node:assert/strict';
import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { goTime } from '../src/tasks/files/info.ts';
import { fileLimits } from '../src/tasks/files/limits.ts';
import { Slots } from '../src/tasks/files/transfer-http.ts';
import { partPathOf } from '../src/tasks/files/upload.ts';
import { fileManager, tempDir } from './helpers/files.ts';

const MiB = 1024 * 1024;

describe('stream operations: what is checked before any byte moves', () => {
  const dir = tempDir('komari-streams-');
  const f = join(dir, 'data.bin');
  writeFileSync(f, Buffer.alloc(1000, 1));
  utimesSync(f, new Date('2026-03-04T05:06:07.5Z'), new Date('2026-03-04T05:06:07.5Z'));
  const { fails } = fileManager();
  const dl = { transfer_id: 't1', transfer_token: 'tok', path: f, offset: 0, length: 1000, chunk_index: 0, file_size: 1000, modified_at: '2026-03-04T05:06:07.5Z' };

  it('download_stream: a file whose size or time differs from the server’s stat is refused', async () => {
    assert.equal(await fails('download_stream', { ...dl, file_size: 999 }), 'download file changed while opening stream');
    assert.equal(await fails('download_stream', { ...dl, modified_at: '2026-03-04T05:06:07.500000001Z' }), 'download file changed while opening stream');
  });

  it('download_stream: bad ranges, a folder, missing credentials', async () => {
    assert.equal(await fails('download_stream', { ...dl, offset: 900, length: 200 }), 'download range exceeds file size');
    assert.equal(await fails('download_stream', { ...dl, length: 0 }), 'invalid download stream range');
    assert.equal(await fails('download_stream', { ...dl, offset: -1 }), 'invalid download stream range');
    assert.equal(await fails('download_stream', { ...dl, length: fileLimits.streamMaxBytes + 1 }), 'invalid download stream range');
    assert.equal(await fails('download_stream', { ...dl, length: '1000' }), 'invalid download stream range');
    assert.equal(await fails('download_stream', { ...dl, transfer_token: '' }), 'transfer_id and transfer_token are required');
    assert.equal(await fails('download_stream', { ...dl, path: dir, file_size: 0, modified_at: '' }), 'cannot download a directory');
  });

  it('upload_stream: metadata that does not add up is refused, and no .part appears', async () => {
    const up = { transfer_id: 't', transfer_token: 'k', path: join(dir, 'up.bin'), upload_id: 'u1', offset: 0, chunk_index: 0, chunk_count: 2, total_size: 3 * MiB, chunk_size: 2 * MiB, first: true, final: false };
    assert.equal(await fails('upload_stream', { ...up, chunk_count: 3 }), 'chunk_count does not match total_size');
    assert.equal(await fails('upload_stream', { ...up, offset: 5 }), 'invalid upload chunk offset');
    assert.equal(await fails('upload_stream', { ...up, chunk_index: 2, offset: 4 * MiB }), 'invalid upload chunk offset');
    assert.equal(await fails('upload_stream', { ...up, total_size: 0 }), 'invalid upload stream metadata');
    assert.equal(await fails('upload_stream', { ...up, chunk_size: fileLimits.streamMaxBytes + 1 }), `chunk_size must be between 1 and ${fileLimits.streamMaxBytes} bytes`);
    assert.equal(await fails('upload_stream', { ...up, upload_id: 'a/b' }), 'invalid upload_id');
    assert.equal(await fails('upload_stream', { ...up, path: '/' }), 'upload path must be a file');
    assert.equal(await fails('upload_stream', { ...up, first: false, chunk_index: 1, offset: 2 * MiB }), 'unknown upload session');
    assert.equal(existsSync(partPathOf(up.path, 'u1')), false);
  });

  it('upload_commit checks the .part size; upload_cancel removes the .part', async () => {
    const target = join(dir, 'committed.bin');
    const part = partPathOf(target, 'c1');
    assert.equal(part, join(dir, '.committed.bin.komari-upload-c1.part'));
    const commit = { path: target, upload_id: 'c1', chunk_index: 1, chunk_count: 1, total_size: 10, chunk_size: 2 * MiB, offset: 10, first: false, final: true };
    assert.equal(await fails('upload_commit', commit), 'unknown upload session');
    writeFileSync(part, Buffer.alloc(7));
    assert.equal(await fails('upload_commit', commit), 'upload part file is 7 bytes, want 10');
    assert.equal(await fails('upload_commit', { ...commit, chunk_index: 0 }), 'invalid final upload marker');
    const { ok } = fileManager();
    assert.deepEqual(await ok('upload_cancel', { upload_id: 'c1', path: target }), { cancelled: true });
    assert.equal(existsSync(part), false);
    // a .part of the full size left by an agent that restarted is still committed
    writeFileSync(part, Buffer.alloc(10, 7));
    assert.deepEqual(await ok('upload_commit', commit), { received: 0, final: true, offset: 10 });
    assert.equal(existsSync(part), false);
    assert.ok(existsSync(target));
  });

  it('goTime writes Go’s RFC3339Nano', () => {
    assert.equal(goTime(1_772_600_767_500_000_000n), '2026-03-04T05:06:07.5Z');
    assert.equal(goTime(1_772_600_767_000_000_000n), '2026-03-04T05:06:07Z');
    assert.equal(goTime(1_772_600_767_000_000_123n), '2026-03-04T05:06:07.000000123Z');
  });
});

describe('stream slots: at most 8 at once, the rest wait in a bounded line', () => {
  it('the ninth waits until one ends; past the waiters bound one is refused at once', async () => {
    const slots = new Slots(8, 2);
    const signal = new AbortController().signal;
    const held = await Promise.all(Array.from({ length: 8 }, () => slots.acquire(signal)));
    let ninth = false;
    const waiting = slots.acquire(signal).then((r) => ((ninth = true), r));
    const tenth = slots.acquire(signal);
    await assert.rejects(slots.acquire(signal), /too many file transfers waiting/);
    await new Promise((r) => setImmediate(r));
    assert.equal(ninth, false);
    held[0]!();
    const release9 = await waiting;
    assert.equal(ninth, true);
    held[1]!();
    (await tenth)();
    release9();
  });

  it('a waiter whose transfer is cancelled leaves the line', async () => {
    const slots = new Slots(1, 4);
    const first = await slots.acquire(new AbortController().signal);
    const ac = new AbortController();
    const waiting = slots.acquire(ac.signal);
    ac.abort();
    await assert.rejects(waiting, /file transfer cancelled/);
    first();
    (await slots.acquire(new AbortController().signal))();
  });
});
