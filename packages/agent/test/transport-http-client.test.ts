import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { NetworkError } from '../src/transport/failures.ts';
import { HttpClient, userAgent } from '../src/transport/http-client.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const MiB = 1024 * 1024;

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  remotePort: number;
}

/** A node:http server for one test: counts connections and records every request. */
async function httpServer(
  t: TestContext,
  handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
  configure?: (server: HttpServer) => void,
): Promise<{ url: string; server: HttpServer; connections: () => number; requests: SeenRequest[]; sockets: Set<Socket> }> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, remotePort: req.socket.remotePort ?? 0 });
      handler(req, res, body);
    });
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  configure?.(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  assert.ok(addr && typeof addr === 'object');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
  });
  return { url: `http://127.0.0.1:${addr.port}`, server, connections: () => connections, requests, sockets };
}

interface RawRequest {
  head: string;
  body: Buffer;
  /** 0-based index of the connection, and of the request on it */
  connection: number;
  onConnection: number;
}

/**
 * A TCP server that reads HTTP requests (Content-Length bodies) and lets the test answer with
 * whatever bytes it likes.
 */
async function rawServer(t: TestContext, onRequest: (socket: Socket, req: RawRequest) => void): Promise<{ url: string; server: NetServer; requests: RawRequest[]; connections: () => number }> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createNetServer((socket) => {
    const connection = connections++;
    let onConnection = 0;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const req = { head, body: Buffer.from(buf.subarray(end + 4, end + 4 + length)), connection, onConnection: onConnection++ };
        buf = buf.subarray(end + 4 + length);
        requests.push(req);
        onRequest(socket, req);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  assert.ok(addr && typeof addr === 'object');
  t.after(async () => {
    for (const s of sockets) s.destroy();
    server.close();
    await once(server, 'close');
  });
  return { url: `http://127.0.0.1:${addr.port}`, server, requests, connections: () => connections };
}

function client(t: TestContext): HttpClient {
  const c = new HttpClient(false);
  t.after(() => c.close());
  return c;
}

const ok = (body = '{"ok":true}') => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

async function rejectsNetwork(promise: Promise<unknown>, message?: RegExp): Promise<NetworkError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => ((caught = err), true));
  assert.ok(caught instanceof NetworkError, `expected a NetworkError, got ${String(caught)}`);
  if (message) assert.match(caught.message, message);
  return caught;
}

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
    const probe = createNetServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const addr = probe.address();
    assert.ok(addr && typeof addr === 'object');
    probe.close();
    await once(probe, 'close');
    await rejectsNetwork(client(t).post(`http://127.0.0.1:${addr.port}/`, {}, { timeoutMs: 2000 }), /ECONNREFUSED/);
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
