import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileLimits } from '../src/tasks/files/limits.ts';
import { fileManager, tempDir } from './helpers/files.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const MiB = 1024 * 1024;
const fileInfoKeys = ['name', 'path', 'is_dir', 'is_symlink', 'size', 'mode', 'mode_octal', 'uid', 'gid', 'owner', 'group', 'modified_at'];

describe('file operations on a real folder (no --file-root)', () => {
  const dir = tempDir('komari-files-');
  const { run, ok, fails } = fileManager();

  it('list: directories first, then names ignoring case; each entry a FileInfo', async () => {
    const d = join(dir, 'list');
    mkdirSync(d);
    for (const f of ['b.txt', 'A.txt', 'c.txt']) writeFileSync(join(d, f), f);
    for (const sub of ['zeta', 'Alpha']) mkdirSync(join(d, sub));
    const entries = await ok<any[]>('list', { path: d });
    assert.deepEqual(entries.map((e) => e.name), ['Alpha', 'zeta', 'A.txt', 'b.txt', 'c.txt']);
    for (const e of entries) assert.deepEqual(Object.keys(e), fileInfoKeys);
  });

  it('stat: the FileInfo shape of Komari exactly, times in Go RFC 3339 with nanoseconds', async () => {
    const f = join(dir, 'stat.txt');
    writeFileSync(f, 'hello');
    chmodSync(f, 0o640);
    utimesSync(f, new Date('2026-01-02T03:04:05.250Z'), new Date('2026-01-02T03:04:05.250Z'));
    const info = await ok('stat', { path: f });
    const st = statSync(f);
    assert.deepEqual(info, {
      name: 'stat.txt',
      path: f,
      is_dir: false,
      is_symlink: false,
      size: 5,
      mode: '-rw-r-----',
      mode_octal: '0640',
      uid: st.uid,
      gid: st.gid,
      owner: info.owner,
      group: info.group,
      modified_at: '2026-01-02T03:04:05.25Z',
    });
    assert.equal(typeof info.owner, 'string');
    assert.ok(info.owner.length > 0);
    const d = await ok('stat', { path: dir });
    assert.equal(d.is_dir, true);
    assert.match(d.mode, /^d[rwx-]{9}$/);
  });

  it('stat of a link: is_symlink and target, with the target’s type and size', async () => {
    writeFileSync(join(dir, 'real.txt'), '12345678');
    symlinkSync('real.txt', join(dir, 'link.txt'));
    const info = await ok('stat', { path: join(dir, 'link.txt') });
    assert.equal(info.is_symlink, true);
    assert.equal(info.target, 'real.txt');
    assert.equal(info.size, 8);
    const dangling = join(dir, 'dangling');
    symlinkSync('nowhere', dangling);
    const d = await ok('stat', { path: dangling });
    assert.equal(d.is_symlink, true);
    assert.match(d.mode, /^L/);
  });

  it('a missing path is Go’s "no such file or directory" (the server maps it to not found)', async () => {
    assert.match(await fails('stat', { path: join(dir, 'missing') }), /^lstat .*missing: no such file or directory$/);
    assert.match(await fails('list', { path: join(dir, 'missing') }), /no such file or directory/);
  });

  it('mkdir: recursive, 0755 by default, or the given octal mode', async () => {
    const deep = join(dir, 'mk', 'a', 'b');
    assert.deepEqual(await ok('mkdir', { path: deep }), { created: true });
    assert.equal(statSync(deep).mode & 0o777, 0o755 & ~process.umask());
    const other = join(dir, 'mk', 'private');
    await ok('mkdir', { path: other, mode: '0700' });
    assert.equal(statSync(other).mode & 0o777, 0o700);
    assert.equal(await fails('mkdir', { path: join(dir, 'mk', 'bad'), mode: '999' }), 'invalid octal mode: 999');
    assert.equal(existsSync(join(dir, 'mk', 'bad')), false);
  });

  it('move: renames files and folders, creates the destination’s parent, refuses a folder into itself', async () => {
    const src = join(dir, 'mv-src');
    mkdirSync(join(src, 'inner'), { recursive: true });
    writeFileSync(join(src, 'inner', 'f'), 'x');
    const dst = join(dir, 'mv', 'deeper', 'dst');
    assert.deepEqual(await ok('move', { source: src, destination: dst }), { moved: true });
    assert.equal(readFileSync(join(dst, 'inner', 'f'), 'utf8'), 'x');
    assert.equal(existsSync(src), false);
    assert.equal(await fails('move', { source: dst, destination: join(dst, 'inner', 'x') }), 'cannot move a path into itself');
    assert.equal(await fails('move', { source: dst }), 'source and destination are required');
  });

  it('copy: recursive, modes and links kept as links; refuses a folder into itself and a copy onto itself', async () => {
    const src = join(dir, 'cp-src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'sub', 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(src, 'sub', 'run.sh'), 0o750);
    symlinkSync('sub/run.sh', join(src, 'link'));
    const dst = join(dir, 'cp-dst');
    assert.deepEqual(await ok('copy', { source: src, destination: dst }), { copied: true });
    assert.equal(readFileSync(join(dst, 'sub', 'run.sh'), 'utf8'), '#!/bin/sh\n');
    assert.equal(statSync(join(dst, 'sub', 'run.sh')).mode & 0o777, 0o750);
    assert.ok(lstatSync(join(dst, 'link')).isSymbolicLink());
    assert.ok(existsSync(join(src, 'sub', 'run.sh')), 'the source stays');
    assert.equal(await fails('copy', { source: src, destination: join(src, 'sub', 'again') }), 'cannot copy a directory into itself');
    assert.equal(await fails('copy', { source: src, destination: src }), 'source and destination are the same');
  });

  it('delete: files, whole folders, a link (not what it points to); refuses the filesystem root', async () => {
    const d = join(dir, 'del');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'sub', 'f'), 'x');
    writeFileSync(join(dir, 'kept'), 'x');
    symlinkSync(join(dir, 'kept'), join(dir, 'del-link'));
    assert.deepEqual(await ok('delete', { path: join(dir, 'del-link') }), { deleted: true });
    assert.ok(existsSync(join(dir, 'kept')));
    assert.deepEqual(await ok('delete', { path: d }), { deleted: true });
    assert.equal(existsSync(d), false);
    assert.equal(await fails('delete', { path: '/' }), 'refusing to delete a filesystem root');
    assert.equal(await fails('delete', { path: '' }), 'refusing to delete a filesystem root');
    assert.match(await fails('delete', { path: join(dir, 'gone') }), /no such file or directory/);
  });

  it('chmod: octal string in, %04o out; a bad mode changes nothing', async () => {
    const f = join(dir, 'chmod.txt');
    writeFileSync(f, '');
    chmodSync(f, 0o644);
    assert.deepEqual(await ok('chmod', { path: f, mode: '600' }), { mode: '0600' });
    assert.equal(statSync(f).mode & 0o777, 0o600);
    assert.equal(await fails('chmod', { path: f, mode: 'rwx' }), 'invalid octal mode: rwx');
    assert.equal(await fails('chmod', { path: f }), 'mode is required');
    assert.equal(statSync(f).mode & 0o777, 0o600);
  });

  it('chown: to the current owner by uid/gid works; one of them is required; an unknown name is refused', async () => {
    const f = join(dir, 'chown.txt');
    writeFileSync(f, '');
    const st = statSync(f);
    assert.deepEqual(await ok('chown', { path: f, uid: st.uid, gid: st.gid }), { uid: st.uid, gid: st.gid });
    assert.deepEqual(await ok('chown', { path: f, gid: st.gid }), { uid: -1, gid: st.gid });
    assert.equal(await fails('chown', { path: f }), 'uid, gid, owner or group is required');
    assert.equal(await fails('chown', { path: f, owner: 'no-such-user-komari' }), 'unknown user no-such-user-komari');
    assert.equal(await fails('chown', { path: f, uid: 'zero' }), 'invalid uid');
  });

  it('create: a zero-byte file (the server’s empty upload), emptying one that exists', async () => {
    const f = join(dir, 'new', 'empty.bin');
    assert.deepEqual(await ok('create', { path: f }), { created: true, size: 0 });
    assert.equal(statSync(f).size, 0);
    writeFileSync(f, 'old content');
    await ok('create', { path: f });
    assert.equal(statSync(f).size, 0);
    assert.equal(await fails('create', { path: dir }), 'cannot replace a directory with a file');
  });

  it('read: base64 data, size, time, content type, binary flag; refuses a file over 4 MiB and a folder', async () => {
    const f = join(dir, 'read.txt');
    writeFileSync(f, 'line one\nzweite Zeile ✓\n');
    const r = await ok('read', { path: f });
    assert.equal(Buffer.from(r.data, 'base64').toString('utf8'), 'line one\nzweite Zeile ✓\n');
    assert.equal(r.size, Buffer.byteLength('line one\nzweite Zeile ✓\n'));
    assert.equal(r.binary, false);
    assert.equal(r.content_type, 'text/plain; charset=utf-8');
    assert.match(r.modified_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const bin = join(dir, 'read.bin');
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    const b = await ok('read', { path: bin });
    assert.equal(b.binary, true);
    assert.equal(b.content_type, 'image/png');
    const big = join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(fileLimits.editableBytes + 1, 0x61));
    assert.equal(await fails('read', { path: big }), 'file exceeds the 4194304 byte edit limit');
    writeFileSync(big, Buffer.alloc(fileLimits.editableBytes, 0x61));
    assert.equal((await ok('read', { path: big })).size, 4 * MiB);
    assert.equal(await fails('read', { path: dir }), 'cannot read a directory');
  });

  it('write: base64 in args (or the legacy top-level data), atomic replace keeping the mode; ≤ 4 MiB', async () => {
    const f = join(dir, 'write.conf');
    writeFileSync(f, 'old');
    chmodSync(f, 0o600);
    const data = Buffer.from('new content\n').toString('base64');
    assert.deepEqual(await ok('write', { path: f, data }), { saved: true, size: 12 });
    assert.equal(readFileSync(f, 'utf8'), 'new content\n');
    assert.equal(statSync(f).mode & 0o777, 0o600);
    const legacy = await run('write', { path: f }, undefined, Buffer.from('legacy').toString('base64'));
    assert.equal(legacy.ok, true, legacy.error);
    assert.equal(readFileSync(f, 'utf8'), 'legacy');
    const tooBig = Buffer.alloc(fileLimits.editableBytes + 1, 0x62).toString('base64');
    assert.equal(await fails('write', { path: f, data: tooBig }), 'file exceeds the 4194304 byte edit limit');
    assert.equal(await fails('write', { path: f, data: 'not base64!' }), 'illegal base64 data');
    assert.equal(readFileSync(f, 'utf8'), 'legacy', 'a refused write changes nothing');
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.komari-edit-')), [], 'no temp file is left');
  });

  it('search by name: case-insensitive, files and folders, links not followed', async () => {
    const root = join(dir, 'search');
    mkdirSync(join(root, 'Reports', 'old'), { recursive: true });
    writeFileSync(join(root, 'Reports', 'report-2025.txt'), 'a');
    writeFileSync(join(root, 'notes.md'), 'the quarterly REPORT is due\nsecond line');
    symlinkSync('/etc', join(root, 'report-link-out'));
    const r = await ok('search', { path: root, query: 'REPORT' });
    const paths = r.matches.map((m: any) => m.path.slice(root.length)).sort();
    assert.deepEqual(paths, ['/Reports', '/Reports/report-2025.txt', '/report-link-out']);
    assert.equal(r.limited, false);
    assert.equal(r.matches.find((m: any) => m.path.endsWith('/Reports')).is_dir, true);
  });

  it('search by content: first matching line with its number, text cut to 300 characters, files over 10 MiB skipped', async () => {
    const root = join(dir, 'search-content');
    mkdirSync(root);
    writeFileSync(join(root, 'a.txt'), `first\n${'x'.repeat(400)} needle\nneedle again\n`);
    writeFileSync(join(root, 'huge.txt'), Buffer.concat([Buffer.from('needle\n'), Buffer.alloc(fileLimits.searchContentMaxBytes, 0x20)]));
    writeFileSync(join(root, 'none.txt'), 'nothing here');
    const r = await ok('search', { path: root, query: 'NEEDLE', content: true });
    assert.equal(r.matches.length, 1);
    assert.equal(r.matches[0].path, join(root, 'a.txt'));
    assert.equal(r.matches[0].line, 2);
    assert.equal(r.matches[0].text.length, 300);
    assert.equal(await fails('search', { path: root }), 'query is required');
  });

  it('search stops at 500 matches and says limited', async () => {
    const root = join(dir, 'search-many');
    mkdirSync(root);
    for (let i = 0; i < fileLimits.searchMatches + 20; i++) writeFileSync(join(root, `hit-${i}`), '');
    const r = await ok('search', { path: root, query: 'hit' });
    assert.equal(r.matches.length, 500);
    assert.equal(r.limited, true);
  });

  it('an unknown op is "unsupported file operation: <op>"; relative paths are refused without a root', async () => {
    assert.equal(await fails('explode', {}), 'unsupported file operation: explode');
    assert.equal(await fails('read_chunk', {}), 'unsupported file operation: read_chunk');
    assert.equal(await fails('stat', { path: 'relative/x' }), 'path must be absolute: relative/x');
    assert.equal(await fails('stat', { path: `${dir}/\0x` }), 'invalid path');
  });

  it('list_roots without a root is the filesystem root', async () => {
    const roots = await ok<any[]>('list_roots', { path: '' });
    assert.equal(roots.length, 1);
    assert.equal(roots[0].path, '/');
    assert.equal(roots[0].is_dir, true);
  });

  it('hostile arguments: wrong types are the zero value, never a crash', async () => {
    assert.equal((await run('stat', { path: ['x'] })).ok, true, 'a non-string path is "" which is /');
    assert.equal(await fails('mkdir', { path: join(dir, 'm'), mode: '7'.repeat(40) }), `invalid octal mode: ${'7'.repeat(32)}`);
    assert.equal(await fails('upload_cancel', { upload_id: '../../etc' }), 'invalid upload_id');
  });
});
