import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { FileAgent } from './helpers/file-agent.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Raw {
  status: number;
  body: string;
}

/** One request on its own connection, the body sent as given (any framing). */
function raw(url: string, method: string, headers: Record<string, string>, body?: Buffer | string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (b) => (text += b));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('/api/clients/transfer/:id refuses every request that is not the agent of the transfer', () => {
  let s: TestServer;
  let cookie: string;
  let root: string;
  let agent: FileAgent;
  let other: FileAgent;
  let node: { uuid: string; token: string };
  let otherNode: { uuid: string; token: string };
  const clock = new ManualClock(Date.now());

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock, limits: { files: { minChunkBytes: 1024, defaultChunkBytes: 4096, downloadAttempts: 1 } } }));
    root = mkdtempSync(join(tmpdir(), 'komari-files-'));
    writeFileSync(join(root, 'f.bin'), Buffer.alloc(4096, 7));
    node = await addNode(s, cookie, 'files');
    otherNode = await addNode(s, cookie, 'other');
    // The agent answers nothing: the tests speak for it on the transfer route.
    agent = await FileAgent.connect(s.url, node.token, root, { silent: true });
    other = await FileAgent.connect(s.url, otherNode.token, root, { silent: true });
  });

  after(async () => {
    agent.close();
    other.close();
    await s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts a browser download and returns the transfer the silent agent was asked to fill. */
  async function downloadTransfer(): Promise<{ args: any; browser: AbortController; done: Promise<Response | undefined> }> {
    const browser = new AbortController();
    const seen = agent.received.length;
    // The stat is answered by hand, then a download_stream arrives.
    const done = fetch(`${s.url}/api/admin/client/${node.uuid}/file/download?path=/f.bin`, { headers: { cookie: `session_token=${cookie}` }, signal: browser.signal }).catch(() => undefined);
    await eventually(() => agent.received.length > seen);
    const st = agent.received.at(-1);
    await agent.postResult({ request_id: st.request_id, ok: true, result: { name: 'f.bin', is_dir: false, size: 4096, modified_at: new Date(0).toISOString() } });
    await eventually(() => agent.received.at(-1)?.op === 'download_stream');
    return { args: agent.received.at(-1).args, browser, done };
  }

  const url = (a: any, token = node.token, extra = '') => `${s.url}/api/clients/transfer/${a.transfer_id}?token=${token}${extra}`;
  const creds = (a: any) => ({ 'x-komari-transfer-id': a.transfer_id, 'x-komari-transfer-token': a.transfer_token });

  test('credential failures are 401 text/plain with the reason', async () => {
    const { args, browser } = await downloadTransfer();
    const cases: Array<[string, Record<string, string>, string, string]> = [
      [url(args), {}, 'POST', 'file transfer credentials are required'],
      [url({ transfer_id: '00000000-0000-4000-8000-000000000000' }), { 'x-komari-transfer-token': args.transfer_token }, 'POST', 'unknown or expired file transfer'],
      [url(args), { ...creds(args), 'x-komari-transfer-token': 'wrong' }, 'POST', 'invalid file transfer credentials'],
      [url(args, otherNode.token), creds(args), 'POST', 'invalid file transfer credentials'],
      [url(args), { ...creds(args), 'x-komari-transfer-id': 'another-id' }, 'POST', 'file transfer id does not match request'],
      [`${s.url}/api/clients/transfer/${args.transfer_id}`, { ...creds(args), cookie: `session_token=${cookie}` }, 'POST', 'agent identity is required'],
      [url(args), creds(args), 'GET', 'transfer direction does not allow GET'],
      [url(args), creds(args), 'PUT', 'method not allowed'],
    ];
    for (const [u, headers, method, message] of cases) {
      const res = await raw(u, method, headers, method === 'GET' ? undefined : '');
      assert.equal(res.body, message, `${method} ${JSON.stringify(headers)}`);
      assert.equal(res.status, message === 'method not allowed' || message.includes('GET') ? 405 : 401);
    }
    // The query token works as well as the header; with a wrong length the transfer fails.
    const wrongLength = await raw(url(args, node.token, `&transfer_token=${args.transfer_token}`), 'POST', { 'content-type': 'application/octet-stream' }, Buffer.alloc(10));
    assert.deepEqual(wrongLength, { status: 400, body: 'invalid transfer content length' });
    const again = await raw(url(args), 'POST', creds(args), Buffer.alloc(4096));
    assert.equal(again.status, 401, 'a failed transfer is gone');
    browser.abort();
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0);
  });

  test('a second connection to the same transfer is 409; the first one completes', async () => {
    const { args, done } = await downloadTransfer();
    const slow = new Promise<Raw>((resolve, reject) => {
      const req = httpRequest(url(args), { method: 'POST', headers: { ...creds(args), 'content-length': '4096' }, agent: false }, (res) => {
        let text = '';
        res.on('data', (b) => (text += b));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(100, 7));
      setImmediate(() => void eventually(() => s.ctx.files.transfers.get(args.transfer_id)?.state === 'connected').then(async () => {
        const second = await raw(url(args), 'POST', creds(args), Buffer.alloc(4096, 7));
        assert.deepEqual(second, { status: 409, body: 'file transfer is already connected' });
        req.end(Buffer.alloc(3996, 7));
      }));
    });
    assert.deepEqual(await slow, { status: 200, body: '{"received":4096}' });
    await agent.postResult({ request_id: agent.received.at(-1).request_id, ok: true, result: { sent: 4096 } });
    const res = await done;
    assert.equal(Buffer.from(await res!.arrayBuffer()).length, 4096);
    await eventually(() => s.ctx.files.transfers.size === 0);
  });

  test('an extra byte in a chunked body is 400 and the browser download is cut', async () => {
    const { args, done } = await downloadTransfer();
    const res = await raw(url(args), 'POST', { ...creds(args), 'transfer-encoding': 'chunked' }, Buffer.alloc(4097, 7));
    assert.equal(res.status, 400);
    assert.match(res.body, /exceeds the expected 4096 bytes/);
    const browser = await done;
    // The headers were due once the agent connected: the browser never gets a complete body.
    if (browser) await assert.rejects(browser.arrayBuffer());
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0);
  });

  test('an unclaimed transfer expires after its TTL: 401 file transfer expired, then the sweep drops it', async () => {
    const { args, browser } = await downloadTransfer();
    clock.advance(s.ctx.limits.files.transferTtlMs + 1);
    const res = await raw(url(args), 'POST', creds(args), Buffer.alloc(4096));
    assert.deepEqual(res, { status: 401, body: 'file transfer expired' });
    await s.ctx.jobs.run('file-transfer-sweep');
    browser.abort();
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0);
  });

  test('upload transfers: a body is 400 invalid upload transfer request; GET is allowed', async () => {
    const init = await fetch(`${s.url}/api/admin/client/${node.uuid}/file/upload?operation=init`, { method: 'POST', headers: { cookie: `session_token=${cookie}` }, body: JSON.stringify({ path: '/u.bin', size: 2048, chunk_size: 2048 }) });
    const id = ((await init.json()) as any).data.upload_id;
    const chunk = () =>
      fetch(`${s.url}/api/admin/client/${node.uuid}/file/upload?operation=chunk`, { method: 'POST', headers: { cookie: `session_token=${cookie}`, 'x-komari-upload-id': id, 'x-komari-chunk-index': '0' }, body: Buffer.alloc(2048, 1) });
    let pending = chunk();
    await eventually(() => agent.received.at(-1)?.op === 'upload_stream');
    let args = agent.received.at(-1).args;
    const withBody = await raw(url(args), 'POST', creds(args), 'data');
    assert.deepEqual(withBody, { status: 400, body: 'invalid upload transfer request' });
    await agent.postResult({ request_id: agent.received.at(-1).request_id, ok: false, error: 'transfer failed' });
    assert.equal((await pending).status, 502);
    pending = chunk();
    await eventually(() => agent.received.at(-1)?.op === 'upload_stream' && agent.received.at(-1).args.transfer_id !== args.transfer_id);
    args = agent.received.at(-1).args;
    const got = await new Promise<Buffer>((resolve, reject) => {
      httpRequest(url(args), { method: 'GET', headers: creds(args), agent: false }, (res) => {
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-length'], '2048');
        assert.equal(res.headers['content-encoding'], 'identity');
        assert.equal(res.headers['x-accel-buffering'], 'no');
        const parts: Buffer[] = [];
        res.on('data', (b) => parts.push(b));
        res.on('end', () => resolve(Buffer.concat(parts)));
      })
        .on('error', reject)
        .end();
    });
    assert.ok(got.equals(Buffer.alloc(2048, 1)));
    await agent.postResult({ request_id: agent.received.at(-1).request_id, ok: true, result: { received: 2048, offset: 2048 } });
    assert.equal((await pending).status, 200);
    const cancel = await fetch(`${s.url}/api/admin/client/${node.uuid}/file/upload?operation=cancel&upload_id=${id}`, { method: 'POST', headers: { cookie: `session_token=${cookie}` } });
    assert.equal(cancel.status, 200);
    await eventually(() => s.ctx.files.transfers.size === 0);
  });
});
