import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { freePort } from '../../server/test/helpers/cli.ts';
import { sleep, MiB, httpServer, rawServer, client, ok, rejectsNetwork } from './helpers/http-peers.ts';

describe('transport/http-client HttpClient: failures and limits', () => {
  it('rejects a garbage answer with NetworkError', async (t) => {
    const { url } = await rawServer(t, (socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 2000 }));
  });

  it('rejects a garbage answer that ends the connection with NetworkError', async (t) => {
    const { url } = await rawServer(t, (socket) => socket.end('this is not http at all'));
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 2000 }));
  });

  it('rejects with NetworkError after timeoutMs when the server never answers', async (t) => {
    const { url, requests } = await rawServer(t, () => {});
    const started = Date.now();
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 300 }), /no answer/);
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 1500, `rejected after ${took} ms`);
    assert.equal(requests.length, 1, 'the request was sent');
  });

  it('rejects with NetworkError after timeoutMs when the answer stalls half way', async (t) => {
    const { url } = await rawServer(t, (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial'));
    const started = Date.now();
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 300 }));
    assert.ok(Date.now() - started < 1500);
  });

  it('rejects a refused port with NetworkError', async (t) => {
    await rejectsNetwork(client(t).post(`http://127.0.0.1:${await freePort()}/`, {}, { timeoutMs: 2000 }), /ECONNREFUSED/);
  });

  it('rejects an answer whose Content-Length is over 4 MiB with NetworkError', async (t) => {
    const { url } = await httpServer(t, (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(4 * MiB + 1) });
      res.end(Buffer.alloc(4 * MiB + 1, 0x61));
    });
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 2000 }));
  });

  it('rejects a chunked answer that grows over 4 MiB with NetworkError', async (t) => {
    const { url } = await httpServer(t, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      for (let i = 0; i < 5; i++) res.write(Buffer.alloc(MiB, 0x62));
      res.end();
    });
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 2000 }));
  });

  it('rejects a read-until-close answer over 4 MiB with NetworkError', async (t) => {
    const { url } = await rawServer(t, (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');
      socket.end(Buffer.alloc(4 * MiB + 10, 0x63));
    });
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 2000 }));
  });

  it('accepts an answer of exactly 4 MiB', async (t) => {
    const { url } = await httpServer(t, (_req, res) => res.writeHead(200, { 'Content-Length': String(4 * MiB) }).end(Buffer.alloc(4 * MiB, 0x64)));
    const answer = await client(t).post(url, {}, { timeoutMs: 2000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.text.length, 4 * MiB);
  });

  it('rejects with NetworkError when the signal aborts while waiting', async (t) => {
    const { url } = await rawServer(t, () => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 5000, signal: controller.signal }), /abort/);
    assert.ok(Date.now() - started < 1000);
  });

  it('rejects with NetworkError at once for an already aborted signal, without connecting', async (t) => {
    const { url, connections } = await rawServer(t, () => {});
    await rejectsNetwork(client(t).post(url, {}, { timeoutMs: 2000, signal: AbortSignal.abort() }), /abort/);
    await sleep(20);
    assert.equal(connections(), 0);
  });

  it('rejects with NetworkError when aborted on a reused connection', async (t) => {
    const { url, connections } = await rawServer(t, (socket, req) => {
      if (req.onConnection === 0) socket.write(ok());
    });
    const c = client(t);
    assert.equal((await c.post(url, {}, { timeoutMs: 2000 })).status, 200);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await rejectsNetwork(c.post(url, {}, { timeoutMs: 5000, signal: controller.signal }), /abort/);
    assert.equal(connections(), 1);
  });

  it('close() closes the kept connection', async (t) => {
    const { url, sockets } = await httpServer(t, (_req, res) => res.writeHead(200).end('ok'));
    const c = client(t);
    await c.post(url, {}, { timeoutMs: 2000 });
    assert.equal(sockets.size, 1);
    const [serverSide] = [...sockets];
    const gone = once(serverSide!, 'close');
    c.close();
    await gone;
    assert.equal(sockets.size, 0);
  });
});
