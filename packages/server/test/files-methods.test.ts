import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { FileAgent } from './helpers/file-agent.ts';
import { rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('admin:file* methods against a simulated 1.5 agent', () => {
  let s: TestServer;
  let cookie: string;
  let root: string;
  let agent: FileAgent;
  let node: { uuid: string; token: string };
  const call = (method: string, params: unknown) => rpc(s.url, method, params, { cookie });

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { files: { callTimeoutMs: 400, editBytes: 4096 } } }));
    root = mkdtempSync(join(tmpdir(), 'komari-files-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'b.txt'), 'hello');
    writeFileSync(join(root, 'A.txt'), 'x');
    node = await addNode(s, cookie, 'files');
    agent = await FileAgent.connect(s.url, node.token, root);
  });

  after(async () => {
    agent.close();
    await s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test('list: directories first, then names case-insensitively; the wire carries uuid, request_id, op, args', async () => {
    const res = await call('admin:fileList', { uuid: node.uuid, path: '/' });
    assert.deepEqual(res.result.map((e: any) => e.name), ['docs', 'A.txt', 'b.txt']);
    const sent = agent.received.at(-1);
    assert.equal(sent.uuid, node.uuid);
    assert.match(sent.request_id, /^[0-9a-f]{32}$/);
    assert.equal(sent.op, 'list');
    assert.deepEqual(sent.args, { path: '/' });
    assert.equal('data' in sent.args, false);
  });

  test('listRoots, stat, read', async () => {
    assert.equal((await call('admin:fileListRoots', { uuid: node.uuid })).result[0].is_dir, true);
    assert.deepEqual(agent.received.at(-1).args, { path: '' });
    assert.equal((await call('admin:fileStat', { uuid: node.uuid, path: '/b.txt' })).result.size, 5);
    assert.equal(Buffer.from((await call('admin:fileRead', { uuid: node.uuid, path: '/b.txt' })).result.data, 'base64').toString(), 'hello');
  });

  test('mutating calls change the disk and are audited with who', async () => {
    assert.deepEqual((await call('admin:fileMkdir', { uuid: node.uuid, path: '/new', mode: '0750' })).result, { created: true });
    assert.ok(statSync(join(root, 'new')).isDirectory());
    assert.deepEqual((await call('admin:fileWrite', { uuid: node.uuid, path: '/w.txt', data: Buffer.from('written').toString('base64') })).result, { saved: true, size: 7 });
    assert.equal(readFileSync(join(root, 'w.txt'), 'utf8'), 'written');
    assert.deepEqual((await call('admin:fileCopy', { uuid: node.uuid, source: '/w.txt', destination: '/c.txt' })).result, { copied: true });
    assert.deepEqual((await call('admin:fileMove', { uuid: node.uuid, source: '/c.txt', destination: '/m.txt' })).result, { moved: true });
    assert.ok(existsSync(join(root, 'm.txt')) && !existsSync(join(root, 'c.txt')));
    assert.deepEqual((await call('admin:fileChmod', { uuid: node.uuid, path: '/m.txt', mode: '0600' })).result, { mode: '0600' });
    assert.equal(statSync(join(root, 'm.txt')).mode & 0o777, 0o600);
    assert.deepEqual((await call('admin:fileChown', { uuid: node.uuid, path: '/m.txt', uid: 1000 })).result, { uid: 1000, gid: -1 });
    assert.deepEqual((await call('admin:fileDelete', { uuid: node.uuid, path: '/m.txt' })).result, { deleted: true });
    assert.equal(existsSync(join(root, 'm.txt')), false);
    const logs = (await call('admin:getLogs', { limit: 50, page: 1 })).result;
    const messages = JSON.stringify(logs);
    for (const m of [`file mkdir: ${node.uuid}:/new`, `file write: ${node.uuid}:/w.txt (7 bytes)`, `file read: ${node.uuid}:/b.txt (5 bytes)`, `file delete: ${node.uuid}:/m.txt`, `file chmod: ${node.uuid}:/m.txt`]) assert.ok(messages.includes(m), m);
    assert.ok(!messages.includes('file list:'), 'listings are not audited; reading contents is');
  });

  test('search passes query and content', async () => {
    const res = await call('admin:fileSearch', { uuid: node.uuid, path: '/', query: 'b.t', content: true });
    assert.equal(res.result.limited, false);
    assert.deepEqual(agent.received.at(-1).args, { path: '/', query: 'b.t', content: true });
  });

  test('validation errors are -32602 with Komari texts, and nothing is sent', async () => {
    const before = agent.received.length;
    const cases: Array<[string, unknown, string]> = [
      ['admin:fileList', {}, 'uuid is required'],
      ['admin:fileList', { uuid: node.uuid }, 'path is required'],
      ['admin:fileMove', { uuid: node.uuid, source: '/a' }, 'source and destination are required'],
      ['admin:fileChmod', { uuid: node.uuid, path: '/a' }, 'mode is required'],
      ['admin:fileChown', { uuid: node.uuid, path: '/a' }, 'uid, gid, owner or group is required'],
      ['admin:fileSearch', { uuid: node.uuid, path: '/' }, 'query is required'],
    ];
    for (const [method, params, message] of cases) {
      const res = await call(method, params);
      assert.equal(res.error?.code, -32602, method);
      assert.equal(res.error?.message, message, method);
    }
    for (const [params, re] of [
      [{ uuid: node.uuid, path: 7 }, /^invalid request: /],
      [{ uuid: node.uuid, path: '/a/../../etc' }, /'\.\.' segments/],
      [{ uuid: node.uuid, path: 'relative' }, /absolute/],
      [{ uuid: node.uuid, path: '/a\0b' }, /NUL/],
      [{ uuid: node.uuid, path: `/${'x'.repeat(5000)}` }, /longer than/],
    ] as const) {
      const res = await call('admin:fileStat', params);
      assert.equal(res.error?.code, -32602);
      assert.match(res.error!.message, re);
    }
    assert.match((await call('admin:fileChmod', { uuid: node.uuid, path: '/a', mode: 'rwx' })).error!.message, /octal/);
    assert.match((await call('admin:fileWrite', { uuid: node.uuid, path: '/a', data: '!!notbase64' })).error!.message, /base64/);
    assert.equal((await call('admin:fileWrite', { uuid: node.uuid, path: '/a', data: 'A'.repeat(8192) })).error!.message, 'invalid request: data exceeds the 4096 byte edit limit');
    assert.equal((await call('admin:fileWrite', { uuid: node.uuid, path: '/a', data: 'A'.repeat(5464) })).error!.message, 'invalid request: data exceeds the 4096 byte edit limit');
    assert.equal(agent.received.length, before, 'no call reached the agent');
  });

  test('unknown client is -32044 client not found', async () => {
    const res = await call('admin:fileList', { uuid: 'no-such-node', path: '/' });
    assert.deepEqual(res.error, { code: -32044, message: 'client not found' });
  });

  test("the agent's errors map to codes: no such file → -32044, permission denied → -32041", async () => {
    const missing = await call('admin:fileStat', { uuid: node.uuid, path: '/nope' });
    assert.equal(missing.error!.code, -32044);
    assert.match(missing.error!.message, /no such file/);
    agent.opts = { failOps: { stat: 'open /x: permission denied', list: 'boom' } };
    const denied = await call('admin:fileStat', { uuid: node.uuid, path: '/x' });
    assert.deepEqual(denied.error, { code: -32041, message: 'open /x: permission denied' });
    assert.deepEqual((await call('admin:fileList', { uuid: node.uuid, path: '/' })).error, { code: -32603, message: 'boom' });
    agent.opts = { disabled: true };
    assert.deepEqual((await call('admin:fileList', { uuid: node.uuid, path: '/' })).error, { code: -32050, message: 'web control is disabled' });
    agent.opts = {};
  });

  test('an agent that never answers: -32011 file operation timed out, and a late answer is -32004', async () => {
    agent.opts = { silent: true };
    const res = await call('admin:fileStat', { uuid: node.uuid, path: '/b.txt' });
    assert.deepEqual(res.error, { code: -32011, message: 'file operation timed out' });
    agent.opts = {};
    const late = await agent.postResult({ request_id: agent.received.at(-1).request_id, ok: true, result: {} });
    assert.equal(late.status, 400);
    assert.deepEqual(late.json.error, { code: -32004, message: 'unknown or expired file operation' });
    assert.equal(s.ctx.files.calls.size, 0);
  });

  test('agent.file.result: bad params are -32602 invalid file result params; another client cannot settle a call', async () => {
    const bad = await agent.postResult({ request_id: 5 } as any);
    assert.equal(bad.json.error.code, -32602);
    assert.equal(bad.json.error!.message, 'invalid file result params');
    const other = await addNode(s, cookie, 'other');
    const intruder = await FileAgent.connect(s.url, other.token, root, { silent: true });
    agent.opts = { silent: true };
    const pending = call('admin:fileStat', { uuid: node.uuid, path: '/b.txt' });
    await eventually(() => s.ctx.files.calls.size === 1);
    const id = agent.received.at(-1).request_id;
    const stolen = await intruder.postResult({ uuid: node.uuid, request_id: id, ok: true, result: { size: 999 } });
    assert.equal(stolen.json.error.code, -32004);
    agent.opts = {};
    assert.equal((await agent.postResult({ uuid: 'ignored', request_id: id, ok: true, result: { size: 1 } })).status, 200);
    assert.deepEqual((await pending).result, { size: 1 });
    intruder.close();
  });

  test('offline v2 agent → -32051; v1 agent → -32050', async () => {
    const gone = await addNode(s, cookie, 'gone');
    const a = await FileAgent.connect(s.url, gone.token, root);
    a.close();
    await eventually(() => !s.ctx.live.isOnline(gone.uuid) && s.ctx.live.socketOf(gone.uuid) === undefined);
    assert.deepEqual((await call('admin:fileList', { uuid: gone.uuid, path: '/' })).error, { code: -32051, message: 'agent is not connected' });
    const old = await addNode(s, cookie, 'v1');
    const v1 = await V1Agent.connect(s, old.token);
    v1.send(sampleReport());
    await eventually(() => s.ctx.live.protocolOf(old.uuid) === 1);
    assert.deepEqual((await call('admin:fileList', { uuid: old.uuid, path: '/' })).error, { code: -32050, message: 'agent does not support file operations' });
    await v1.close();
  });

  test('guests cannot call file methods', async () => {
    const res = await rpc(s.url, 'admin:fileList', { uuid: node.uuid, path: '/' });
    assert.ok(res.error);
    assert.notEqual(res.error.code, -32602);
  });
});
