import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { userAgent } from '../src/transport/http-client.ts';
import { sleep, httpServer, rawServer, client, ok, rejectsNetwork } from './helpers/http-peers.ts';

describe('transport/http-client HttpClient', () => {
  it('POSTs JSON with the right request line, headers and body', async (t) => {
    const { url, requests } = await httpServer(t, (_req, res, body) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ got: JSON.parse(body.toString()) }));
    });
    const body = { cpu: { usage: 12.5 }, name: 'tést ✓', list: [1, 2, 3] };
    const answer = await client(t).post(`${url}/api/clients/report?token=abc`, body, { timeoutMs: 2000, headers: { Authorization: 'Bearer xyz' } });
    assert.deepEqual(answer, { status: 200, contentType: 'application/json; charset=utf-8', text: JSON.stringify({ got: body }) });
    assert.equal(requests.length, 1);
    const req = requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/api/clients/report?token=abc');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['content-length'], String(Buffer.byteLength(JSON.stringify(body))));
    assert.equal(req.headers['user-agent'], userAgent);
    assert.equal(req.headers.host, new URL(url).host);
    assert.equal(req.headers.authorization, 'Bearer xyz');
    assert.equal(req.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(req.body.toString('utf8')), body);
  });

  it('sends a gzip body with Content-Encoding: gzip when asked', async (t) => {
    const { url, requests } = await httpServer(t, (_req, res) => res.writeHead(200).end('ok'));
    const body = { report: 'x'.repeat(5000), n: 42 };
    const answer = await client(t).post(`${url}/api/v2`, body, { gzip: true, timeoutMs: 2000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, 'ok');
    const req = requests[0]!;
    assert.equal(req.headers['content-encoding'], 'gzip');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.body[0], 0x1f);
    assert.equal(req.body[1], 0x8b);
    assert.equal(Number(req.headers['content-length']), req.body.length);
    assert.ok(req.body.length < 500, `gzipped to ${req.body.length} bytes`);
    assert.deepEqual(JSON.parse(gunzipSync(req.body).toString()), body);
  });

  it('reuses one TCP connection for POSTs in a row', async (t) => {
    const { url, connections, requests } = await httpServer(t, (_req, res, body) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`n=${JSON.parse(body.toString()).n}`));
    const c = client(t);
    for (let n = 0; n < 3; n++) {
      const answer = await c.post(`${url}/r`, { n }, { timeoutMs: 2000 });
      assert.equal(answer.text, `n=${n}`);
      await sleep(50);
    }
    assert.equal(requests.length, 3);
    assert.equal(connections(), 1, 'one connection for all three');
    assert.equal(new Set(requests.map((r) => r.remotePort)).size, 1);
  });

  it('opens a second connection for concurrent POSTs and keeps one for later', async (t) => {
    const { url, connections } = await httpServer(t, (_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 30));
    const c = client(t);
    const answers = await Promise.all([c.post(url, 1, { timeoutMs: 2000 }), c.post(url, 2, { timeoutMs: 2000 })]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    assert.equal(connections(), 2);
    assert.equal((await c.post(url, 3, { timeoutMs: 2000 })).status, 200);
    assert.equal(connections(), 2, 'the third POST reused a kept connection');
  });

  it('still POSTs after the server closed the idle keep-alive connection', async (t) => {
    const { url, connections, requests, sockets } = await httpServer(
      t,
      (_req, res) => res.writeHead(200).end('ok'),
      (server) => {
        server.keepAliveTimeout = 50;
        // Node 24 adds this (default 1 s) to keepAliveTimeout for the socket's real idle timeout
        server.keepAliveTimeoutBuffer = 0;
      },
    );
    const c = client(t);
    assert.equal((await c.post(url, { a: 1 }, { timeoutMs: 2000 })).status, 200);
    await sleep(200);
    assert.equal(sockets.size, 0, 'the server closed the idle connection');
    const answer = await c.post(url, { a: 2 }, { timeoutMs: 2000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, 'ok');
    assert.equal(connections(), 2);
    assert.deepEqual(requests.map((r) => JSON.parse(r.body.toString()).a), [1, 2]);
  });

  it('sends again on a fresh connection when a reused one is closed before answering', async (t) => {
    const { url, requests, connections } = await rawServer(t, (socket, req) => {
      // the first connection answers once, then drops the next request unanswered
      if (req.connection === 0 && req.onConnection > 0) return void socket.destroy();
      socket.write(ok(`{"n":${JSON.parse(req.body.toString()).n}}`));
    });
    const c = client(t);
    assert.equal((await c.post(url, { n: 1 }, { timeoutMs: 2000 })).text, '{"n":1}');
    await sleep(20);
    const answer = await c.post(url, { n: 2 }, { timeoutMs: 2000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '{"n":2}');
    assert.equal(connections(), 2);
    assert.deepEqual(
      requests.map((r) => [r.connection, JSON.parse(r.body.toString()).n]),
      [
        [0, 1],
        [0, 2],
        [1, 2],
      ],
    );
  });

  it('does not send again when a reused connection is cut in the middle of the answer', async (t) => {
    const { url, requests, connections } = await rawServer(t, (socket, req) => {
      if (req.onConnection > 0) return void socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
      socket.write(ok());
    });
    const c = client(t);
    assert.equal((await c.post(url, 1, { timeoutMs: 2000 })).status, 200);
    await sleep(20);
    await rejectsNetwork(c.post(url, 2, { timeoutMs: 2000 }));
    assert.equal(requests.length, 2, 'not sent a third time');
    assert.equal(connections(), 1);
  });

  it('does not send again when a fresh connection is closed before answering', async (t) => {
    const { url, requests, connections } = await rawServer(t, (socket) => socket.destroy());
    await rejectsNetwork(client(t).post(url, 1, { timeoutMs: 2000 }));
    assert.equal(requests.length, 1);
    assert.equal(connections(), 1);
  });

  it('opens a new connection after an answer with Connection: close', async (t) => {
    const { url, connections } = await httpServer(t, (_req, res) => res.writeHead(200, { Connection: 'close' }).end('bye'));
    const c = client(t);
    assert.equal((await c.post(url, 1, { timeoutMs: 2000 })).text, 'bye');
    assert.equal((await c.post(url, 2, { timeoutMs: 2000 })).text, 'bye');
    assert.equal(connections(), 2);
  });

  it('drops an idle connection on which the server sent unasked bytes', async (t) => {
    const { url, connections, requests } = await rawServer(t, (socket, req) => {
      socket.write(ok(`{"c":${req.connection}}`));
      if (req.connection === 0) setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{"c":9}'), 20);
    });
    const c = client(t);
    assert.equal((await c.post(url, 1, { timeoutMs: 2000 })).text, '{"c":0}');
    await sleep(100);
    const answer = await c.post(url, 2, { timeoutMs: 2000 });
    assert.equal(answer.text, '{"c":1}', 'answered on a new connection, not with the stray bytes');
    assert.equal(connections(), 2);
    assert.equal(requests.length, 2);
  });

  it('does not keep a connection with bytes past the answer', async (t) => {
    const { url, connections } = await rawServer(t, (socket, req) => socket.write(`${ok(`{"c":${req.connection}}`)}JUNK`));
    const c = client(t);
    assert.equal((await c.post(url, 1, { timeoutMs: 2000 })).text, '{"c":0}');
    assert.equal((await c.post(url, 2, { timeoutMs: 2000 })).text, '{"c":1}');
    assert.equal(connections(), 2);
  });

  it('resolves a 500 answer with its status and text, and keeps the connection', async (t) => {
    const { url, connections } = await httpServer(t, (_req, res) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error'));
    const c = client(t);
    assert.deepEqual(await c.post(url, {}, { timeoutMs: 2000 }), { status: 500, contentType: 'text/plain', text: 'internal error' });
    const again = await c.post(url, {}, { timeoutMs: 2000 });
    assert.equal(again.status, 500);
    assert.equal(connections(), 1);
  });

  it('resolves other statuses too (404 HTML, 401 with no body)', async (t) => {
    const { url } = await httpServer(t, (req, res) => {
      if (req.url === '/html') return void res.writeHead(404, { 'Content-Type': 'text/html' }).end('<!doctype html><p>nope</p>');
      res.writeHead(401).end();
    });
    const c = client(t);
    assert.deepEqual(await c.post(`${url}/html`, {}, { timeoutMs: 2000 }), { status: 404, contentType: 'text/html', text: '<!doctype html><p>nope</p>' });
    assert.deepEqual(await c.post(`${url}/empty`, {}, { timeoutMs: 2000 }), { status: 401, contentType: '', text: '' });
  });

  it('joins a chunked answer, including a UTF-8 character split across chunks', async (t) => {
    const text = Buffer.from('{"msg":"héllo ✓ wörld","n":[1,2,3]}');
    const cut = text.indexOf(Buffer.from('✓')) + 1; // inside the 3-byte '✓'
    const { url } = await httpServer(t, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(text.subarray(0, 5));
      setTimeout(() => res.write(text.subarray(5, cut)), 10);
      setTimeout(() => res.write(text.subarray(cut)), 20);
      setTimeout(() => res.end(), 30);
    });
    const answer = await client(t).post(url, {}, { timeoutMs: 2000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, text.toString('utf8'));
    assert.deepEqual(JSON.parse(answer.text), { msg: 'héllo ✓ wörld', n: [1, 2, 3] });
  });

  it('reads an answer that ends with the connection (no length)', async (t) => {
    const { url } = await rawServer(t, (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end'));
    const answer = await client(t).post(url, {}, { timeoutMs: 2000 });
    assert.deepEqual(answer, { status: 200, contentType: 'text/plain', text: 'until the end' });
  });

  it('skips a 100 Continue before the answer', async (t) => {
    const { url } = await rawServer(t, (socket) => socket.write(`HTTP/1.1 100 Continue\r\n\r\n${ok('{"after":"continue"}')}`));
    const answer = await client(t).post(url, {}, { timeoutMs: 2000 });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '{"after":"continue"}');
  });
});
