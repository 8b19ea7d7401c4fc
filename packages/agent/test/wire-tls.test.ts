// Fixture: cd packages/agent/test/fixtures/tls && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 36500 -subj /CN=localhost -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1'
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { HttpClient } from '../src/transport/http-client.ts';
import { dialWebSocket, type WireSocket } from '../src/wire/websocket.ts';
import { rejectsNetwork } from './helpers/http-peers.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/tls/${name}`, import.meta.url));

interface SeenRequest {
  method: string;
  url: string;
  contentType: string;
  body: string;
}

// https:// and wss:// endpoints (the only case where the agent loads node:tls): a node:https server
// with a self-signed certificate for localhost and 127.0.0.1, trusted only with --ignore-unsafe-cert.
describe('wire over TLS (https:// and wss://, self-signed certificate)', () => {
  let server: Server;
  let wss: WebSocketServer;
  let origin: string;
  let secureConnections = 0;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();

  before(async () => {
    server = createServer({ cert: fixture('cert.pem'), key: fixture('key.pem') }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
        const answer = JSON.stringify({ ok: true, echo: JSON.parse(body) as unknown });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) });
        res.end(answer);
      });
    });
    server.on('secureConnection', (s: Socket) => {
      secureConnections++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    // a client that refuses the certificate aborts the handshake; nothing to report
    server.on('tlsClientError', () => {});
    wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const addr = server.address();
    assert.ok(addr && typeof addr === 'object');
    origin = `127.0.0.1:${addr.port}`;
  });
  after(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    for (const s of sockets) s.destroy();
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('POSTs JSON over https with --ignore-unsafe-cert, and two POSTs share one TLS connection', async (t) => {
    const client = new HttpClient(true);
    t.after(() => client.close());
    const connectionsBefore = secureConnections;
    const requestsBefore = requests.length;

    const first = await client.post(`https://${origin}/x`, { n: 1, text: 'héllo' }, { timeoutMs: 5000 });
    assert.equal(first.status, 200);
    assert.equal(first.contentType, 'application/json');
    assert.deepEqual(JSON.parse(first.text), { ok: true, echo: { n: 1, text: 'héllo' } });
    const second = await client.post(`https://${origin}/x?again=1`, { n: 2 }, { timeoutMs: 5000 });
    assert.equal(second.status, 200);
    assert.deepEqual(JSON.parse(second.text), { ok: true, echo: { n: 2 } });

    assert.deepEqual(requests.slice(requestsBefore), [
      { method: 'POST', url: '/x', contentType: 'application/json', body: '{"n":1,"text":"héllo"}' },
      { method: 'POST', url: '/x?again=1', contentType: 'application/json', body: '{"n":2}' },
    ]);
    assert.equal(secureConnections - connectionsBefore, 1, 'the second POST reuses the kept-alive TLS connection');
  });

  it('refuses the self-signed certificate without --ignore-unsafe-cert (NetworkError, nothing sent)', async (t) => {
    const client = new HttpClient(false);
    t.after(() => client.close());
    const requestsBefore = requests.length;
    await rejectsNetwork(client.post(`https://${origin}/x`, { n: 3 }, { timeoutMs: 5000 }), /self[- ]signed/i);
    assert.equal(requests.length, requestsBefore, 'no request reached the server');
  });

  it('opens a wss:// socket with --ignore-unsafe-cert: deflate negotiated, text both ways, close(1000)', async (t) => {
    const connection = once(wss, 'connection') as Promise<[WebSocket, IncomingMessage]>;
    const sock: WireSocket = await dialWebSocket(`wss://${origin}/ws`, { compression: true, insecure: true, timeoutMs: 5000 });
    t.after(() => sock.terminate());
    const [ws, req] = await connection;
    t.after(() => ws.terminate());
    assert.equal(req.url, '/ws');
    assert.equal((req.socket as Socket & { encrypted?: boolean }).encrypted, true);
    assert.equal(sock.isOpen, true);
    assert.equal(sock.compressed, true);
    assert.equal(ws.extensions, 'permessage-deflate');

    // client → server: a short message, and one over 1024 bytes (sent compressed)
    const big = `{"pad":"${'x'.repeat(4000)}"}`;
    const fromClient = new Promise<Array<[string, boolean]>>((resolve) => {
      const seen: Array<[string, boolean]> = [];
      ws.on('message', (data, isBinary) => {
        seen.push([String(data), isBinary]);
        if (seen.length === 2) resolve(seen);
      });
    });
    sock.send('{"hello":"server"}');
    sock.send(big);
    assert.deepEqual(await fromClient, [
      ['{"hello":"server"}', false],
      [big, false],
    ]);

    // server → client
    const message = once(sock, 'message', { signal: AbortSignal.timeout(2000) }) as Promise<[Buffer, boolean]>;
    ws.send('{"hello":"agent"}');
    const [data, isBinary] = await message;
    assert.equal(isBinary, false);
    assert.equal(data.toString('utf8'), '{"hello":"agent"}');

    const serverSaw = once(ws, 'close') as Promise<[number, Buffer]>;
    const clientSaw = once(sock, 'close', { signal: AbortSignal.timeout(2000) }) as Promise<[number, string]>;
    sock.close(1000);
    assert.equal((await serverSaw)[0], 1000);
    assert.equal((await clientSaw)[0], 1000);
    assert.equal(sock.isClosed, true);
  });

  it('refuses a wss:// server with a self-signed certificate without --ignore-unsafe-cert', async () => {
    let connected = false;
    const onConnection = () => (connected = true);
    wss.on('connection', onConnection);
    try {
      await assert.rejects(dialWebSocket(`wss://${origin}/ws`, { compression: true, insecure: false, timeoutMs: 5000 }), /self[- ]signed/i);
    } finally {
      wss.off('connection', onConnection);
    }
    assert.equal(connected, false);
  });
});
