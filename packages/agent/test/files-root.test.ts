import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgentConfig } from '../src/config.ts';
import { OUTSIDE_ROOT } from '../src/tasks/files/errors.ts';
import { FileScope } from '../src/tasks/files/scope.ts';
import { fileManager, tempDir } from './helpers/files.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('--file-root: every path confined to one folder', () => {
  const base = tempDir('komari-root-');
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'docs'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'docs', 'a.txt'), 'inside');
  writeFileSync(join(outside, 'secret.txt'), 'outside');
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link'));
  symlinkSync(join(outside, 'not-yet.txt'), join(root, 'dangling-out'));
  symlinkSync('docs/a.txt', join(root, 'inner-link'));
  const { ok, fails } = fileManager({ fileRoot: root });

  it('is read from --file-root, AGENT_FILE_ROOT or "file_root", made absolute', () => {
    const flags = ['-e', 'http://127.0.0.1:1', '-t', 'x'];
    assert.equal(loadAgentConfig([...flags, '--file-root', root], {}).fileRoot, root);
    assert.equal(loadAgentConfig(flags, { AGENT_FILE_ROOT: root }).fileRoot, root);
    const json = loadAgentConfig([...flags, '--config', '/cfg.json'], {}, () => JSON.stringify({ file_root: 'rel/dir' })).fileRoot;
    assert.equal(json, join(process.cwd(), 'rel/dir'));
    assert.equal(loadAgentConfig(flags, {}).fileRoot, '');
  });

  it('list_roots is just the root; relative paths and "" resolve against it', async () => {
    const roots = await ok<any[]>('list_roots', { path: '' });
    assert.deepEqual(roots.map((r) => r.path), [root]);
    assert.deepEqual((await ok<any[]>('list', { path: '' })).map((e) => e.name), ['docs', 'dangling-out', 'escape', 'inner-link', 'secret-link']);
    assert.equal((await ok('stat', { path: 'docs/a.txt' })).path, join(root, 'docs', 'a.txt'));
    assert.equal((await ok('stat', { path: join(root, 'docs') })).is_dir, true);
  });

  it('a folder swapped for a link out of the root between the check and the open is refused on the descriptor', async () => {
    const raceBase = tempDir('komari-race-');
    const raceRoot = join(raceBase, 'root');
    const away = join(raceBase, 'away');
    mkdirSync(join(raceRoot, 'sub'), { recursive: true });
    mkdirSync(away);
    writeFileSync(join(raceRoot, 'sub', 'f.txt'), 'inside');
    writeFileSync(join(away, 'f.txt'), 'outside');
    symlinkSync('sub/f.txt', join(raceRoot, 'inner'));
    const scope = new FileScope(raceRoot);
    const checked = await scope.resolve('sub/f.txt');
    // a link inside the root still opens
    await (await scope.open(await scope.resolve('inner'), 'r')).close();
    // the race: `sub` becomes a link to `away` after the check
    renameSync(join(raceRoot, 'sub'), join(raceBase, 'sub-was'));
    symlinkSync(away, join(raceRoot, 'sub'));
    assert.equal(readFileSync(checked, 'utf8'), 'outside', 'a plain open of the checked path follows the new link');
    for (const flags of ['r', 'r+']) {
      await assert.rejects(scope.open(checked, flags), (err: Error) => err.message === OUTSIDE_ROOT, flags);
    }
    assert.equal(readFileSync(join(away, 'f.txt'), 'utf8'), 'outside');
  });

  it('refuses `..` out of the root, whatever the op', async () => {
    for (const path of ['..', '../outside/secret.txt', 'docs/../../outside', `${root}/../outside/secret.txt`]) {
      assert.equal(await fails('stat', { path }), OUTSIDE_ROOT, path);
      assert.equal(await fails('read', { path }), OUTSIDE_ROOT, path);
      assert.equal(await fails('delete', { path }), OUTSIDE_ROOT, path);
    }
    assert.equal(await fails('write', { path: '../outside/new.txt', data: 'eA==' }), OUTSIDE_ROOT);
    assert.equal(existsSync(join(outside, 'new.txt')), false);
    assert.equal(await fails('move', { source: 'docs/a.txt', destination: '../outside/moved.txt' }), OUTSIDE_ROOT);
    assert.equal(await fails('copy', { source: '../outside/secret.txt', destination: 'stolen.txt' }), OUTSIDE_ROOT);
    assert.ok(existsSync(join(root, 'docs', 'a.txt')));
  });

  it('refuses absolute paths elsewhere', async () => {
    assert.equal(await fails('list', { path: '/etc' }), OUTSIDE_ROOT);
    assert.equal(await fails('read', { path: join(outside, 'secret.txt') }), OUTSIDE_ROOT);
    assert.equal(await fails('mkdir', { path: join(outside, 'made') }), OUTSIDE_ROOT);
    assert.equal(existsSync(join(outside, 'made')), false);
    assert.equal(await fails('search', { path: '/', query: 'secret' }), OUTSIDE_ROOT);
  });

  it('refuses a link inside the root that points out, and anything under it, even one not yet existing', async () => {
    assert.equal(await fails('read', { path: 'secret-link' }), OUTSIDE_ROOT);
    assert.equal(await fails('list', { path: 'escape' }), OUTSIDE_ROOT);
    assert.equal(await fails('read', { path: 'escape/secret.txt' }), OUTSIDE_ROOT);
    assert.equal(await fails('write', { path: 'escape/planted.txt', data: 'eA==' }), OUTSIDE_ROOT);
    assert.equal(await fails('mkdir', { path: 'escape/new/dir' }), OUTSIDE_ROOT);
    assert.equal(await fails('write', { path: 'dangling-out', data: 'eA==' }), OUTSIDE_ROOT);
    assert.equal(await fails('create', { path: 'dangling-out' }), OUTSIDE_ROOT);
    assert.equal(existsSync(join(outside, 'planted.txt')), false);
    assert.equal(existsSync(join(outside, 'not-yet.txt')), false);
    assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'outside');
  });

  it('a listed link that points out shows as a link, without its target’s metadata', async () => {
    const entries = await ok<any[]>('list', { path: '' });
    const link = entries.find((e) => e.name === 'escape');
    assert.equal(link.is_symlink, true);
    assert.equal(link.is_dir, false, 'the outside folder is not followed');
    const inner = entries.find((e) => e.name === 'inner-link');
    assert.equal(inner.size, 'inside'.length, 'a link inside the root is followed for its metadata');
  });

  it('links that stay inside the root work', async () => {
    const r = await ok('read', { path: 'inner-link' });
    assert.equal(Buffer.from(r.data, 'base64').toString(), 'inside');
  });

  it('refuses to delete or move the root itself', async () => {
    assert.match(await fails('delete', { path: '' }), /^permission denied: /);
    assert.match(await fails('delete', { path: root }), /^permission denied: /);
    assert.match(await fails('delete', { path: 'docs/..' }), /^permission denied: /);
    assert.match(await fails('move', { source: root, destination: 'docs/r' }), /^permission denied: /);
    assert.ok(existsSync(root));
  });

  it('search inside the root does not follow links out of it', async () => {
    const r = await ok('search', { path: '', query: 'outside', content: true });
    assert.deepEqual(r.matches, []);
  });

  it('a missing root is an error on each op, not a crash', async () => {
    const missing = fileManager({ fileRoot: join(base, 'no-such-root') });
    assert.match(await missing.fails('list_roots'), /^file root .*no-such-root is unavailable/);
    assert.match(await missing.fails('list', { path: '' }), /unavailable/);
  });
});
