import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, readdirSync, closeSync, symlinkSync, writeSync, writeFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from '../../server/test/helpers/agent-common.ts';
import { rpc, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { loadAgentConfig } from '../src/config.ts';
import { handlersFor } from '../src/handlers.ts';
import { tempDir } from './helpers/files.ts';
import { MemoryLog, startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;

/** A file of `size` random bytes written 1 MiB at a time; its sha256. */
function randomFile(path: string, size: number): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < size; done += MiB) {
      const block = randomBytes(Math.min(MiB, size - done));
      hash.update(block);
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    createReadStream(path).on('data', (b) => hash.update(b)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
  });
}

/**
 * Our agent (the real transport and task handlers, --file-root on a temp folder) against the real
 * komari-ts server: the admin file routes and admin:file* methods drive it end to end.
 */
describe('file manager end to end: the agent with --file-root against a real server', () => {
  const base = tempDir('komari-e2e-files-');
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  const source = join(base, 'source.bin');
  let sourceSha: string;
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let agent: TestAgent;
  const call = (method: string, params: Record<string, unknown>) => rpc(s.url, method, { uuid: node.uuid, ...params }, { cookie });
  const admin = (path: string) => `${s.url}/api/admin/client/${node.uuid}/file/${path}`;
  const auth = () => ({ cookie: `session_token=${cookie}` });

  before(async () => {
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'outside');
    symlinkSync(outside, join(root, 'escape'));
    sourceSha = randomFile(source, SIZE);
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'file-agent');
    const log = new MemoryLog();
    const flags = ['--file-root', root];
    const config = loadAgentConfig(['-e', s.url, '-t', node.token, ...flags], {});
    agent = startAgent(s.url, node.token, flags, { handlers: handlersFor(config, log), log });
    await eventually(() => s.ctx.live.socketOf(node.uuid)?.protocol === 2, 10_000);
  });
  after(async () => {
    await agent?.transport.stop();
    await s?.dispose();
  });

  /** One upload chunk streamed from the source file; `cutAfter` bytes then the request is dropped. */
  function sendChunk(id: string, index: number, chunkSize: number, cutAfter?: number): Promise<{ status: number; json: any }> {
    const start = index * chunkSize;
    const length = Math.min(chunkSize, SIZE - start);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        admin(`upload?operation=chunk&upload_id=${id}&chunk_index=${index}`),
        { method: 'POST', headers: { ...auth(), 'content-type': 'application/octet-stream', 'content-length': String(length) } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(body || 'null') }));
        },
      );
      if (cutAfter === undefined) {
        req.on('error', reject);
        createReadStream(source, { start, end: start + length - 1 }).pipe(req);
        return;
      }
      req.on('error', () => resolve({ status: 0, json: null }));
      const part = createReadStream(source, { start, end: start + cutAfter - 1 });
      part.on('data', (b) => req.write(b));
      part.on('end', () => setImmediate(() => req.destroy()));
    });
  }

  it('uploads 200 MiB through the admin route: chunks streamed into a .part, merged, sha256 equal', async () => {
    const init = await fetch(admin('upload?operation=init'), { method: 'POST', headers: auth(), body: JSON.stringify({ path: `${root}/up/big.bin`, size: SIZE }) });
    const data = ((await init.json()) as any).data;
    assert.equal(init.status, 200, JSON.stringify(data));
    assert.equal(data.chunk_count, Math.ceil(SIZE / data.chunk_size));
    for (let i = 0; i < data.chunk_count; i++) {
      const res = await sendChunk(data.upload_id, i, data.chunk_size);
      assert.equal(res.status, 200, JSON.stringify(res.json));
    }
    const merged = await fetch(admin('upload?operation=merge'), { method: 'POST', headers: auth(), body: JSON.stringify({ upload_id: data.upload_id }) });
    assert.equal(merged.status, 200, await merged.clone().text());
    assert.equal(await sha256Of(join(root, 'up', 'big.bin')), sourceSha);
    assert.deepEqual(readdirSync(join(root, 'up')), ['big.bin'], 'no .part is left');
  });

  it('downloads 200 MiB through the admin route, sha256 equal', async () => {
    const res = await fetch(admin(`download?path=${encodeURIComponent(`${root}/up/big.bin`)}`), { headers: auth() });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(SIZE));
    const hash = createHash('sha256');
    let got = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      got += chunk.length;
    }
    assert.equal(got, SIZE);
    assert.equal(hash.digest('hex'), sourceSha);
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0, 5000);
  });

  it('a download cut by the browser in the middle fails cleanly; the retry succeeds', async () => {
    const ac = new AbortController();
    const res = await fetch(admin(`download?path=${encodeURIComponent(`${root}/up/big.bin`)}`), { headers: auth(), signal: ac.signal });
    const reader = res.body!.getReader();
    let got = 0;
    while (got < 30 * MiB) got += (await reader.read()).value?.length ?? 0;
    ac.abort();
    await eventually(() => s.ctx.files.transfers.size === 0 && s.ctx.files.calls.size === 0, 10_000);
    const again = await fetch(admin(`download?path=${encodeURIComponent(`${root}/up/big.bin`)}`), { headers: auth() });
    const hash = createHash('sha256');
    for await (const chunk of again.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
    assert.equal(hash.digest('hex'), sourceSha);
  });

  it('an upload chunk cut by the browser in the middle fails cleanly; resending it succeeds', async () => {
    const init = await fetch(admin('upload?operation=init'), { method: 'POST', headers: auth(), body: JSON.stringify({ path: `${root}/again.bin`, size: SIZE }) });
    const { upload_id: id, chunk_size: cs, chunk_count: count } = ((await init.json()) as any).data;
    assert.equal((await sendChunk(id, 0, cs)).status, 200);
    const cut = await sendChunk(id, 1, cs, Math.floor(cs / 2));
    assert.notEqual(cut.status, 200);
    await eventually(() => s.ctx.files.transfers.size === 0, 10_000);
    for (let i = 1; i < count; i++) {
      let res = await sendChunk(id, i, cs);
      // the server may still be releasing the cut chunk: say so and resend, as a browser would
      for (let tries = 0; res.status !== 200 && tries < 20 && /already streaming/.test(res.json?.message ?? ''); tries++) {
        await eventually(() => !s.ctx.files.uploads.get(node.uuid, id).busy, 5000);
        res = await sendChunk(id, i, cs);
      }
      assert.equal(res.status, 200, JSON.stringify(res.json));
    }
    const merged = await fetch(admin('upload?operation=merge'), { method: 'POST', headers: auth(), body: JSON.stringify({ upload_id: id }) });
    assert.equal(merged.status, 200);
    assert.equal(await sha256Of(join(root, 'again.bin')), sourceSha);
    assert.equal(readdirSync(root).filter((n) => n.includes('komari-upload')).length, 0);
  });

  it('list, mkdir, rename and delete through admin:file* RPC, inside the root', async () => {
    const roots = await call('admin:fileListRoots', {});
    assert.deepEqual(roots.result.map((r: any) => r.path), [root]);
    assert.deepEqual((await call('admin:fileMkdir', { path: `${root}/made/deep`, mode: '0750' })).result, { created: true });
    assert.equal(statSync(join(root, 'made', 'deep')).mode & 0o777, 0o750);
    const listed = await call('admin:fileList', { path: root });
    assert.deepEqual(listed.result.map((e: any) => e.name), ['made', 'up', 'again.bin', 'escape']);
    assert.deepEqual((await call('admin:fileMove', { source: `${root}/made`, destination: `${root}/renamed` })).result, { moved: true });
    assert.ok(existsSync(join(root, 'renamed', 'deep')));
    assert.deepEqual((await call('admin:fileDelete', { path: `${root}/renamed` })).result, { deleted: true });
    assert.equal(existsSync(join(root, 'renamed')), false);
  });

  it('`..` is refused (by the server first), paths outside the root and links out of it by the agent', async () => {
    const dots = await call('admin:fileList', { path: `${root}/../outside` });
    assert.equal(dots.error?.code, -32602);
    for (const path of ['/etc', `${outside}/secret.txt`, `${root}/escape`, `${root}/escape/secret.txt`]) {
      const res = await call('admin:fileStat', { path });
      assert.deepEqual(res.error && { code: res.error.code, message: res.error.message }, { code: -32041, message: 'permission denied: outside the file root' }, path);
    }
    const del = await call('admin:fileDelete', { path: root });
    assert.equal(del.error?.code, -32041);
    assert.ok(existsSync(root));
    const down = await fetch(admin(`download?path=${encodeURIComponent(`${root}/escape/secret.txt`)}`), { headers: auth() });
    assert.notEqual(down.status, 200);
  });
});
