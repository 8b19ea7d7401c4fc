import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it, type TestContext } from 'node:test';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import { type WebSocket, WebSocketServer } from 'ws';
import type { WebSocketOptions, WireSocket } from '../src/wire/websocket.ts';
import { op, sleep, FrameTap, dial, closed, nextMessage } from './helpers/websocket-peers.ts';

describe('wire/websocket against the ws package (permessage-deflate on)', () => {
  let wss: WebSocketServer;
  let url: string;

  before(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
    await once(wss, 'listening');
    const addr = wss.address();
    assert.ok(addr && typeof addr === 'object');
    url = `ws://127.0.0.1:${addr.port}/ws`;
  });
  after(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  /** Dials and returns both ends, with a tap on the raw bytes the server reads. */
  async function connect(t: TestContext, o: Partial<WebSocketOptions> = {}): Promise<{ sock: WireSocket; ws: WebSocket; req: IncomingMessage; tap: FrameTap }> {
    const connection = once(wss, 'connection') as Promise<[WebSocket, IncomingMessage]>;
    const sock = await dial(t, url, { compression: true, ...o });
    const [ws, req] = await connection;
    const tap = new FrameTap();
    // before ws's own listener: ws unmasks the chunks it reads in place
    req.socket.prependListener('data', (chunk: Buffer) => tap.push(chunk));
    t.after(() => ws.terminate());
    return { sock, ws, req, tap };
  }

  it('negotiates permessage-deflate when offered', async (t) => {
    const { sock, ws, req } = await connect(t);
    assert.equal(sock.compressed, true);
    assert.equal(sock.isOpen, true);
    assert.equal(sock.isClosed, false);
    assert.equal(ws.extensions, 'permessage-deflate');
    assert.match(req.headers['sec-websocket-extensions'] ?? '', /permessage-deflate/);
    assert.equal(req.headers['sec-websocket-version'], '13');
    assert.equal(Buffer.from(req.headers['sec-websocket-key'] ?? '', 'base64').length, 16);
  });

  it('sends custom headers with the upgrade request', async (t) => {
    const { req } = await connect(t, { headers: { Authorization: 'Bearer abc', 'X-Test': 'yes' } });
    assert.equal(req.headers.authorization, 'Bearer abc');
    assert.equal(req.headers['x-test'], 'yes');
    assert.equal(req.url, '/ws');
  });

  it('round-trips text both ways', async (t) => {
    const { sock, ws, tap } = await connect(t);
    const text = 'héllo wörld ✓ 🚀';
    const got = once(ws, 'message') as Promise<[Buffer, boolean]>;
    sock.send(text);
    const [data, isBinary] = await got;
    assert.equal(isBinary, false);
    assert.equal(data.toString('utf8'), text);
    const frame = await tap.next(op.text);
    assert.equal(frame.masked, true, 'client frames must be masked');
    assert.equal(frame.rsv1, false, 'a short message is not compressed');
    assert.equal(frame.payload.toString('utf8'), text, 'the unmasked payload on the wire');

    const back = nextMessage(sock);
    ws.send('réponse ✓');
    const [reply, replyBinary] = await back;
    assert.equal(replyBinary, false);
    assert.equal(reply.toString('utf8'), 'réponse ✓');
  });

  it('round-trips binary both ways', async (t) => {
    const { sock, ws, tap } = await connect(t);
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const got = once(ws, 'message') as Promise<[Buffer, boolean]>;
    sock.send(bytes);
    const [data, isBinary] = await got;
    assert.equal(isBinary, true);
    assert.deepEqual(Buffer.from(data), bytes);
    assert.equal((await tap.next(op.binary)).masked, true);

    const back = nextMessage(sock);
    ws.send(Buffer.from([0, 255, 1, 254]), { binary: true });
    const [reply, replyBinary] = await back;
    assert.equal(replyBinary, true);
    assert.deepEqual(reply, Buffer.from([0, 255, 1, 254]));
  });

  it('compresses a message over 1024 bytes from the client (RSV1 on the wire)', async (t) => {
    const { sock, ws, tap } = await connect(t);
    const big = 'komari report '.repeat(500); // 7000 bytes, very compressible
    const got = once(ws, 'message') as Promise<[Buffer, boolean]>;
    let sendError: Error | undefined | null = null;
    sock.send(big, (err) => (sendError = err));
    const [data, isBinary] = await got;
    assert.equal(isBinary, false);
    assert.equal(data.toString(), big);
    const frame = await tap.next(op.text);
    assert.equal(frame.rsv1, true, 'RSV1 marks a compressed message');
    assert.equal(frame.masked, true);
    assert.ok(frame.length < 500, `compressed to ${frame.length} bytes`);
    const inflated = inflateRawSync(Buffer.concat([frame.payload, Buffer.from([0, 0, 0xff, 0xff])]), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    assert.equal(inflated.toString(), big, 'the wire payload is raw deflate of the message');
    await sleep(10);
    assert.equal(sendError, undefined, 'the send callback reports success');
  });

  it('inflates a compressed message over 1024 bytes from the server', async (t) => {
    const { sock, ws, req } = await connect(t);
    const big = Buffer.from('x'.repeat(50_000) + 'end');
    const before = req.socket.bytesWritten;
    const got = nextMessage(sock);
    await new Promise<void>((resolve, reject) => ws.send(big, { binary: true }, (err) => (err ? reject(err) : resolve())));
    const [data, isBinary] = await got;
    const written = req.socket.bytesWritten - before;
    assert.ok(written < 1000, `the server compressed 50003 bytes to ${written} on the wire`);
    assert.equal(isBinary, true);
    assert.equal(data.length, big.length);
    assert.ok(data.equals(big));
  });

  it('compresses several big messages in a row (no context carried over)', async (t) => {
    const { sock, ws } = await connect(t);
    const messages = ['a', 'b', 'c'].map((c, i) => `${c.repeat(3000)}-${i}`);
    const received: string[] = [];
    ws.on('message', (d: Buffer) => received.push(d.toString()));
    for (const m of messages) sock.send(m);
    const echoed: string[] = [];
    sock.on('message', (d: Buffer) => echoed.push(d.toString()));
    const deadline = Date.now() + 2000;
    while (received.length < 3 && Date.now() < deadline) await sleep(10);
    assert.deepEqual(received, messages);
    for (const m of messages) ws.send(m.toUpperCase());
    while (echoed.length < 3 && Date.now() < deadline) await sleep(10);
    assert.deepEqual(echoed, messages.map((m) => m.toUpperCase()));
  });

  it('does not negotiate or use compression with compression: false', async (t) => {
    const { sock, ws, req, tap } = await connect(t, { compression: false });
    assert.equal(sock.compressed, false);
    assert.equal(ws.extensions, '');
    assert.equal(req.headers['sec-websocket-extensions'], undefined);
    const big = 'y'.repeat(70_000); // 64-bit length field
    const got = once(ws, 'message') as Promise<[Buffer, boolean]>;
    sock.send(big);
    const [data] = await got;
    assert.equal(data.toString(), big);
    const frame = await tap.next(op.text);
    assert.equal(frame.rsv1, false);
    assert.equal(frame.length, 70_000, 'sent as is');

    const medium = Buffer.alloc(3000, 7); // 16-bit length field
    const back = nextMessage(sock);
    const before = req.socket.bytesWritten;
    ws.send(medium);
    const [reply, isBinary] = await back;
    assert.equal(isBinary, true);
    assert.ok(reply.equals(medium));
    assert.ok(req.socket.bytesWritten - before >= 3000, 'the server did not compress');
  });

  it('answers a server ping with a pong carrying the same payload', async (t) => {
    const { ws, tap } = await connect(t);
    const pong = once(ws, 'pong') as Promise<[Buffer]>;
    ws.ping(Buffer.from('are you there'));
    const [payload] = await pong;
    assert.equal(payload.toString(), 'are you there');
    const frame = await tap.next(op.pong);
    assert.equal(frame.masked, true);
  });

  it("emits 'pong' for its own ping", async (t) => {
    const { sock, tap } = await connect(t);
    const pong = once(sock, 'pong', { signal: AbortSignal.timeout(2000) });
    sock.ping();
    await pong;
    const frame = await tap.next(op.ping);
    assert.equal(frame.length, 0);
    assert.equal(frame.masked, true);
  });

  it('reports the close code and reason the server closes with', async (t) => {
    const { sock, ws, tap } = await connect(t);
    const gone = closed(sock);
    const serverClosed = once(ws, 'close') as Promise<[number, Buffer]>;
    ws.close(4001, 'go away');
    const [code, reason] = await gone;
    assert.equal(code, 4001);
    assert.equal(reason, 'go away');
    assert.equal(sock.isClosed, true);
    assert.equal(sock.isOpen, false);
    // the client echoed the close frame, completing the closing handshake
    const echo = await tap.next(op.close);
    assert.equal(echo.payload.readUInt16BE(0), 4001);
    const [serverCode] = await serverClosed;
    assert.equal(serverCode, 4001);
  });

  it('closes with 1000 from the client side', async (t) => {
    const { sock, ws } = await connect(t);
    const serverClosed = once(ws, 'close') as Promise<[number, Buffer]>;
    const gone = closed(sock);
    sock.close(1000, 'bye');
    assert.equal(sock.isOpen, false, 'closing right away');
    const [serverCode, serverReason] = await serverClosed;
    assert.equal(serverCode, 1000);
    assert.equal(serverReason.toString(), 'bye');
    const [code] = await gone;
    assert.equal(code, 1000);
    assert.equal(sock.isClosed, true);
  });

  it('refuses to send after close (callback gets an error)', async (t) => {
    const { sock } = await connect(t);
    const gone = closed(sock);
    sock.close();
    await gone;
    const err = await new Promise<Error | undefined>((resolve) => sock.send('late', resolve));
    assert.ok(err instanceof Error);
  });
});
