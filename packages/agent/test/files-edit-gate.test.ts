import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../../server/src/auth/totp.ts';
import { addNode, eventually } from '../../server/test/helpers/agent-common.ts';
import { rpc, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { loadAgentConfig } from '../src/config.ts';
import { handlersFor } from '../src/handlers.ts';
import type { TaskHandlers } from '../src/transport/runner.ts';
import { tempDir } from './helpers/files.ts';
import { MemoryLog, startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const MiB = 1024 * 1024;
const off = 'Remote files are turned off for this server';

/**
 * Our agent against the real server: the editor's 4 MiB read makes it through the v2 POST (its
 * result is ~5.6 MiB of JSON, past KOMARI_BODY_LIMIT), and the files gate — the switch per node
 * and the 2FA grant per (user, node) — stops every file call before the agent sees it.
 */
describe('file editor limit and the files gate, end to end with our agent', () => {
  const root = join(tempDir('komari-e2e-edit-'), 'root');
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let other: { uuid: string; token: string };
  const agents: TestAgent[] = [];
  /** `agent.file` calls that reached the agent */
  let reached = 0;

  const call = (method: string, params: Record<string, unknown>, uuid = node.uuid, headers: Record<string, string> = {}) =>
    rpc(s.url, method, { uuid, ...params }, { cookie, headers });
  const route = (uuid: string, path: string) => `${s.url}/api/admin/client/${uuid}/file/${path}`;
  const auth = (extra: Record<string, string> = {}) => ({ cookie: `session_token=${cookie}`, ...extra });

  function connect(n: { uuid: string; token: string }): void {
    const log = new MemoryLog();
    const flags = ['--file-root', root];
    const h = handlersFor(loadAgentConfig(['-e', s.url, '-t', n.token, ...flags], {}), log);
    const handlers: TaskHandlers = {
      ...h,
      file: (op, ctx) => {
        reached++;
        return h.file(op, ctx);
      },
    };
    agents.push(startAgent(s.url, n.token, flags, { handlers, log }));
  }

  before(async () => {
    mkdirSync(root);
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'edit-agent');
    other = await addNode(s, cookie, 'other-agent');
    connect(node);
    connect(other);
    await eventually(() => s.ctx.live.socketOf(node.uuid)?.protocol === 2 && s.ctx.live.socketOf(other.uuid)?.protocol === 2, 10_000);
  });
  after(async () => {
    for (const a of agents) await a.transport.stop();
    await s?.dispose();
  });

  it('admin:fileRead of a file of exactly 4 MiB comes through whole (the agent POSTs ~5.6 MiB of JSON, gzip)', async () => {
    const bytes = randomBytes(4 * MiB);
    writeFileSync(join(root, 'four.bin'), bytes);
    const res = await call('admin:fileRead', { path: `${root}/four.bin` });
    assert.equal(res.error, undefined, JSON.stringify(res.error));
    assert.equal(res.result.size, 4 * MiB);
    assert.ok(Buffer.from(res.result.data, 'base64').equals(bytes));
  });

  it('one byte more is the agent\'s own refusal, at once', async () => {
    writeFileSync(join(root, 'over.bin'), Buffer.alloc(4 * MiB + 1, 0x61));
    const started = Date.now();
    const res = await call('admin:fileRead', { path: `${root}/over.bin` });
    assert.equal(res.error?.message, 'file exceeds the 4194304 byte edit limit');
    assert.ok(Date.now() - started < 10_000, 'not a timeout');
  });

  it('saving through the upload route (as the web editor does) replaces the file whole and keeps its permission bits', async () => {
    const target = join(root, 'script.sh');
    writeFileSync(target, '#!/bin/sh\necho old\n');
    chmodSync(target, 0o750);
    const text = Buffer.from('#!/bin/sh\necho new\n'.repeat(170_000));
    assert.ok(text.length > 3 * MiB && text.length < 4 * MiB);
    const init = await fetch(route(node.uuid, 'upload?operation=init'), { method: 'POST', headers: auth(), body: JSON.stringify({ path: target, size: text.length }) });
    const { upload_id: id, chunk_count: count } = ((await init.json()) as any).data;
    assert.equal(count, 1);
    const chunk = await fetch(route(node.uuid, `upload?operation=chunk&upload_id=${id}&chunk_index=0`), { method: 'POST', headers: auth(), body: text });
    assert.equal(chunk.status, 200);
    const merged = await fetch(route(node.uuid, 'upload?operation=merge'), { method: 'POST', headers: auth(), body: JSON.stringify({ upload_id: id }) });
    assert.equal(merged.status, 200);
    assert.ok(readFileSync(target).equals(text));
    assert.equal(statSync(target).mode & 0o777, 0o750);
  });

  it('files switched off for the node: every admin:file* method and the file routes are refused and audited; the agent is not asked', async () => {
    // an upload session opened before the switch, so chunk/merge/cancel meet the gate with a real id
    const init = await fetch(route(node.uuid, 'upload?operation=init'), { method: 'POST', headers: auth(), body: JSON.stringify({ path: `${root}/late.txt`, size: 5 }) });
    const uploadId = ((await init.json()) as any).data.upload_id;
    assert.match(uploadId, /^[0-9a-f]{32}$/);
    writeFileSync(join(root, 'keep.txt'), 'keep');
    const set = await call('admin:setClientRemoteControl', { files: false });
    assert.equal(set.result.files, false);
    const reachedBefore = reached;
    const p = (name: string) => `${root}/${name}`;
    const methods: [string, Record<string, unknown>][] = [
      ['admin:fileListRoots', {}],
      ['admin:fileList', { path: root }],
      ['admin:fileStat', { path: p('keep.txt') }],
      ['admin:fileMkdir', { path: p('made') }],
      ['admin:fileDelete', { path: p('keep.txt') }],
      ['admin:fileMove', { source: p('keep.txt'), destination: p('moved.txt') }],
      ['admin:fileCopy', { source: p('keep.txt'), destination: p('copied.txt') }],
      ['admin:fileChmod', { path: p('keep.txt'), mode: '0600' }],
      ['admin:fileChown', { path: p('keep.txt'), uid: 0 }],
      ['admin:fileSearch', { path: root, query: 'keep' }],
      ['admin:fileRead', { path: p('keep.txt') }],
      ['admin:fileWrite', { path: p('written.txt'), data: Buffer.from('x').toString('base64') }],
    ];
    const registered = s.ctx.registry.names().filter((n: string) => n.startsWith('admin:file'));
    assert.deepEqual(methods.map(([m]) => m).sort(), [...registered].sort(), 'every admin:file* method is tried');
    for (const [method, params] of methods) {
      const res = await call(method, params);
      assert.deepEqual(res.error && { code: res.error.code, message: res.error.message }, { code: -32041, message: off }, method);
    }
    const routes: [string, RequestInit][] = [
      ['upload?operation=init', { method: 'POST', body: JSON.stringify({ path: p('up.txt'), size: 3 }) }],
      ['upload?operation=init', { method: 'POST', body: JSON.stringify({ path: p('empty.txt'), size: 0 }) }],
      [`upload?operation=chunk&upload_id=${uploadId}&chunk_index=0`, { method: 'POST', body: 'hello' }],
      ['upload?operation=merge', { method: 'POST', body: JSON.stringify({ upload_id: uploadId }) }],
      ['upload?operation=cancel', { method: 'POST', body: JSON.stringify({ upload_id: uploadId }) }],
      [`download?path=${encodeURIComponent(p('keep.txt'))}`, { method: 'GET' }],
      [`preview-token?path=${encodeURIComponent(p('keep.txt'))}`, { method: 'GET' }],
    ];
    for (const [path, init] of routes) {
      const res = await fetch(route(node.uuid, path), { ...init, headers: auth() });
      const body = (await res.json()) as any;
      assert.equal(body.message, off, path);
      assert.notEqual(res.status, 200, path);
    }
    assert.equal(reached, reachedBefore, 'nothing reached the agent');
    for (const name of ['made', 'moved.txt', 'copied.txt', 'written.txt', 'up.txt', 'empty.txt', 'late.txt']) assert.equal(existsSync(p(name)), false, name);
    assert.equal(readFileSync(p('keep.txt'), 'utf8'), 'keep');
    const logs = await s.ctx.store.audit.list({ limit: 100, offset: 0 });
    const account = (await s.ctx.store.accounts.first())!;
    const lines = logs.filter((l) => l.message === `remote files refused for admin on client:${node.uuid} (turned off for this node)`);
    assert.equal(lines.length, methods.length + routes.length, 'one audit line per refused call');
    assert.ok(lines.every((l) => l.uuid === account.uuid));

    // back on: the same calls work, and the session opened before finishes
    assert.equal((await call('admin:setClientRemoteControl', { files: true })).result.files, true);
    assert.deepEqual((await call('admin:fileMkdir', { path: p('made') })).result, { created: true });
    assert.ok(existsSync(p('made')));
    const chunk = await fetch(route(node.uuid, `upload?operation=chunk&upload_id=${uploadId}&chunk_index=0`), { method: 'POST', headers: auth(), body: 'hello' });
    assert.equal(chunk.status, 200, await chunk.clone().text());
    const merged = await fetch(route(node.uuid, 'upload?operation=merge'), { method: 'POST', headers: auth(), body: JSON.stringify({ upload_id: uploadId }) });
    assert.equal(merged.status, 200);
    assert.equal(readFileSync(p('late.txt'), 'utf8'), 'hello');
    const down = await fetch(route(node.uuid, `download?path=${encodeURIComponent(p('keep.txt'))}`), { headers: auth() });
    assert.equal(await down.text(), 'keep');
  });

  it('an account with 2FA: the first file call asks for a code, one code opens that node, later calls need none, another node asks again', async () => {
    const account = (await s.ctx.store.accounts.first())!;
    const secret = generateTotpSecret();
    await s.ctx.store.accounts.update(account.uuid, { twoFactor: secret }, Date.now());
    const reachedBefore = reached;
    const refused = await call('admin:fileList', { path: root });
    assert.deepEqual(refused.error && { code: refused.error.code, message: refused.error.message }, { code: -32041, message: '2FA code is required' });
    const dl = await fetch(route(node.uuid, `download?path=${encodeURIComponent(`${root}/keep.txt`)}`), { headers: auth() });
    assert.equal(((await dl.json()) as any).message, '2FA code is required');
    assert.equal(reached, reachedBefore, 'nothing reached the agent');

    // the web UI's header
    const listed = await call('admin:fileList', { path: root }, node.uuid, { 'X-2FA-Code': totpCode(secret, Date.now()) });
    assert.equal(listed.error, undefined, JSON.stringify(listed.error));
    assert.ok(listed.result.some((e: any) => e.name === 'keep.txt'));
    assert.equal((await call('admin:fileStat', { path: `${root}/keep.txt` })).result.size, 4, 'no code needed now');
    const down = await fetch(route(node.uuid, `download?path=${encodeURIComponent(`${root}/keep.txt`)}`), { headers: auth() });
    assert.equal(await down.text(), 'keep');

    const elsewhere = await call('admin:fileListRoots', {}, other.uuid);
    assert.equal(elsewhere.error?.message, '2FA code is required', 'the grant is for one node');
    // the next step's code: the one above is used (codes are single use)
    const opened = await call('admin:fileListRoots', { '2fa_code': totpCode(secret, Date.now() + 30_000) }, other.uuid);
    assert.equal(opened.error, undefined, JSON.stringify(opened.error));
    await s.ctx.store.accounts.update(account.uuid, { twoFactor: '' }, Date.now());
  });
});
