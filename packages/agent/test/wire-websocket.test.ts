import assert from 'node:assert/strict';
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it, type TestContext } from 'node:test';
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import { randomBytes } from '../src/wire/random.ts';
import { sha1 } from '../src/wire/sha1.ts';
import { dialWebSocket, HandshakeRefused, type WebSocketOptions, type WireSocket } from '../src/wire/websocket.ts';

const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const op = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sec-WebSocket-Accept for a key, computed with node:crypto (independent of the code under test). */
function acceptFor(key: string): string {
  return createHash('sha1').update(key + guid).digest('base64');
}

/** A frame as a server would send it (unmasked unless asked otherwise). */
function serverFrame(code: number, payload: Buffer | string = Buffer.alloc(0), o: { fin?: boolean; rsv1?: boolean; mask?: boolean; rsv2?: boolean } = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const len = data.length;
  const ext = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const maskBytes = o.mask ? 4 : 0;
  const out = Buffer.alloc(2 + ext + maskBytes + len);
  out[0] = (o.fin === false ? 0 : 0x80) | (o.rsv1 ? 0x40 : 0) | (o.rsv2 ? 0x20 : 0) | code;
  out[1] = (o.mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) out.writeUInt16BE(len, 2);
  else if (ext === 8) out.writeBigUInt64BE(BigInt(len), 2);
  const at = 2 + ext;
  if (o.mask) {
    const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
    key.copy(out, at);
    for (let i = 0; i < len; i++) out[at + 4 + i] = data[i]! ^ key[i & 3]!;
  } else data.copy(out, at);
  return out;
}

function closePayload(code: number, reason = ''): Buffer {
  return Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);
}

interface ClientFrame {
  fin: boolean;
  rsv1: boolean;
  op: number;
  masked: boolean;
  /** the length the frame header announced (the payload on the wire) */
  length: number;
  /** unmasked payload */
  payload: Buffer;
}

/** Parses whole frames off `buf`; returns them and the bytes of an unfinished one. */
function parseFrames(buf: Buffer): { frames: ClientFrame[]; rest: Buffer } {
  const frames: ClientFrame[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const b0 = buf[at]!;
    const b1 = buf[at + 1]!;
    const code = b1 & 0x7f;
    const ext = code === 126 ? 2 : code === 127 ? 8 : 0;
    const masked = (b1 & 0x80) !== 0;
    const head = 2 + ext + (masked ? 4 : 0);
    if (buf.length - at < head) break;
    const length = code === 126 ? buf.readUInt16BE(at + 2) : code === 127 ? Number(buf.readBigUInt64BE(at + 2)) : code;
    if (buf.length - at < head + length) break;
    const payload = Buffer.from(buf.subarray(at + head, at + head + length));
    if (masked) {
      const key = buf.subarray(at + 2 + ext, at + 2 + ext + 4);
      for (let i = 0; i < length; i++) payload[i] = payload[i]! ^ key[i & 3]!;
    }
    frames.push({ fin: (b0 & 0x80) !== 0, rsv1: (b0 & 0x40) !== 0, op: b0 & 0x0f, masked, length, payload });
    at += head + length;
  }
  return { frames, rest: buf.subarray(at) };
}

/** Collects the frames a client sends on a socket (the `ws` server's socket or a raw one). */
class FrameTap extends EventEmitter {
  readonly frames: ClientFrame[] = [];
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    const { frames, rest } = parseFrames(Buffer.concat([this.#pending, chunk]));
    this.#pending = rest;
    for (const f of frames) {
      this.frames.push(f);
      this.emit('frame', f);
    }
  }

  /** The first frame (already seen or still to come) with opcode `code`. */
  async next(code: number, timeoutMs = 2000): Promise<ClientFrame> {
    const seen = this.frames.find((f) => f.op === code);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('frame', onFrame);
        reject(new Error(`no frame with opcode ${code} within ${timeoutMs} ms; saw ${this.frames.map((f) => f.op).join(',')}`));
      }, timeoutMs);
      const onFrame = (f: ClientFrame) => {
        if (f.op !== code) return;
        clearTimeout(timer);
        this.off('frame', onFrame);
        resolve(f);
      };
      this.on('frame', onFrame);
    });
  }
}

/** One connection to a RawServer: the upgrade request as read, and the frames sent after it. */
class RawPeer {
  readonly socket: Socket;
  readonly requestLine: string;
  readonly headers: Map<string, string>;
  readonly tap = new FrameTap();

  constructor(socket: Socket, head: string) {
    this.socket = socket;
    const lines = head.split('\r\n');
    this.requestLine = lines[0]!;
    this.headers = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  }

  get key(): string {
    return this.headers.get('sec-websocket-key') ?? '';
  }

  /** The 101 answer, with `after` written in the same write. */
  upgradeBytes(o: { extensions?: string; accept?: string; after?: Buffer[] } = {}): Buffer {
    const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${o.accept ?? acceptFor(this.key)}`];
    if (o.extensions) lines.push(`Sec-WebSocket-Extensions: ${o.extensions}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), ...(o.after ?? [])]);
  }

  accept(o: { extensions?: string; after?: Buffer[] } = {}): void {
    this.socket.write(this.upgradeBytes(o));
  }
}

/**
 * A TCP server that speaks the WebSocket handshake by hand, so that a test can answer whatever it
 * likes. `onRequest` gets each connection once its upgrade request head is read.
 */
class RawServer {
  readonly server: Server;
  readonly peers: RawPeer[] = [];
  readonly #sockets = new Set<Socket>();

  constructor(onRequest: (peer: RawPeer) => void, o: { readHead?: boolean } = {}) {
    this.server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      if (o.readHead === false) return;
      let buf = Buffer.alloc(0);
      let peer: RawPeer | undefined;
      socket.on('data', (chunk: Buffer) => {
        if (peer) return peer.tap.push(chunk);
        buf = Buffer.concat([buf, chunk]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        peer = new RawPeer(socket, buf.subarray(0, end).toString('latin1'));
        this.peers.push(peer);
        const rest = buf.subarray(end + 4);
        onRequest(peer);
        if (rest.length) peer.tap.push(rest);
      });
    });
  }

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const addr = this.server.address();
    assert.ok(addr && typeof addr === 'object');
    return `ws://127.0.0.1:${addr.port}/api/clients/report?token=T`;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

async function rawServer(t: TestContext, onRequest: (peer: RawPeer) => void, o: { readHead?: boolean } = {}): Promise<{ server: RawServer; url: string }> {
  const server = new RawServer(onRequest, o);
  const url = await server.listen();
  t.after(() => server.close());
  return { server, url };
}

const baseOptions: WebSocketOptions = { compression: false, insecure: false, timeoutMs: 2000 };

/** Dials and makes sure the socket is gone when the test ends. */
async function dial(t: TestContext, url: string, o: Partial<WebSocketOptions> = {}): Promise<WireSocket> {
  const sock = await dialWebSocket(url, { ...baseOptions, ...o });
  t.after(() => sock.terminate());
  return sock;
}

/** Resolves with the 'close' event's arguments, or rejects after `timeoutMs`. */
async function closed(sock: WireSocket, timeoutMs = 2000): Promise<[number, string]> {
  if (sock.isClosed) throw new Error('already closed before waiting');
  const [code, reason] = (await once(sock, 'close', { signal: AbortSignal.timeout(timeoutMs) })) as [number, string];
  return [code, reason];
}

async function nextMessage(sock: WireSocket, timeoutMs = 2000): Promise<[Buffer, boolean]> {
  return (await once(sock, 'message', { signal: AbortSignal.timeout(timeoutMs) })) as [Buffer, boolean];
}

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

describe('wire/websocket against hand-written servers', () => {
  it('delivers a text message fragmented into 3 frames whole', async (t) => {
    const { url } = await rawServer(t, (peer) => {
      peer.accept();
      const s = peer.socket;
      setTimeout(() => s.write(serverFrame(op.text, 'Hel', { fin: false })), 5);
      setTimeout(() => s.write(serverFrame(op.continuation, 'lo, wö', { fin: false })), 15);
      setTimeout(() => s.write(serverFrame(op.continuation, 'rld', { fin: true })), 25);
    });
    const sock = await dial(t, url);
    const messages: Array<[string, boolean]> = [];
    sock.on('message', (d: Buffer, b: boolean) => messages.push([d.toString(), b]));
    await sleep(150);
    assert.deepEqual(messages, [['Hello, wörld', false]]);
  });

  it('parses frames that arrive one byte per TCP segment (7-, 16- and 64-bit lengths)', async (t) => {
    const small = Buffer.from('tiny');
    const medium = Buffer.alloc(300, 0xab);
    const large = cryptoRandomBytes(70_000);
    const { url } = await rawServer(t, (peer) => {
      peer.accept();
      const bytes = Buffer.concat([serverFrame(op.text, small), serverFrame(op.binary, medium), serverFrame(op.binary, large)]);
      // the first 40 bytes one at a time, with a pause so they land in separate reads
      let i = 0;
      const step = () => {
        if (i < 40) {
          peer.socket.write(bytes.subarray(i, i + 1));
          i++;
          setTimeout(step, 1);
        } else peer.socket.write(bytes.subarray(40));
      };
      step();
    });
    const sock = await dial(t, url);
    const messages: Array<[Buffer, boolean]> = [];
    sock.on('message', (d: Buffer, b: boolean) => messages.push([d, b]));
    const deadline = Date.now() + 2000;
    while (messages.length < 3 && Date.now() < deadline) await sleep(10);
    assert.equal(messages.length, 3);
    assert.equal(messages[0]![0].toString(), 'tiny');
    assert.equal(messages[0]![1], false);
    assert.ok(messages[1]![0].equals(medium));
    assert.equal(messages[1]![1], true);
    assert.ok(messages[2]![0].equals(large));
    assert.equal(messages[2]![1], true);
  });

  it('answers a ping between fragments and still joins the message', async (t) => {
    let peer!: RawPeer;
    const { url } = await rawServer(t, (p) => {
      peer = p;
      p.accept();
      setTimeout(() => p.socket.write(serverFrame(op.binary, Buffer.from([1, 2]), { fin: false })), 5);
      setTimeout(() => p.socket.write(serverFrame(op.ping, 'mid')), 15);
      setTimeout(() => p.socket.write(serverFrame(op.continuation, Buffer.from([3, 4]), { fin: true })), 25);
    });
    const sock = await dial(t, url);
    const messages: Array<[Buffer, boolean]> = [];
    sock.on('message', (d: Buffer, b: boolean) => messages.push([d, b]));
    const pong = await peer.tap.next(op.pong);
    assert.equal(pong.payload.toString(), 'mid');
    assert.equal(pong.masked, true);
    await sleep(100);
    assert.deepEqual(messages, [[Buffer.from([1, 2, 3, 4]), true]]);
    assert.equal(sock.isOpen, true);
  });

  it('holds frames sent in the same write as the 101 until a listener is attached', async (t) => {
    const { url } = await rawServer(t, (peer) =>
      peer.accept({ after: [serverFrame(op.text, 'first'), serverFrame(op.binary, Buffer.from([9, 8, 7])), serverFrame(op.text, 'third')] }),
    );
    const sock = await dial(t, url);
    await sleep(50); // the frames are read and parsed by now, with no listener
    const messages: Array<[string, boolean]> = [];
    sock.on('message', (d: Buffer, b: boolean) => messages.push([b ? d.toString('hex') : d.toString(), b]));
    await sleep(20);
    assert.deepEqual(messages, [
      ['first', false],
      ['090807', true],
      ['third', false],
    ]);
    // later messages keep flowing to the listener, in order
    assert.equal(sock.isOpen, true);
  });

  it('keeps holding messages a once() listener did not take', async (t) => {
    const { url } = await rawServer(t, (peer) => peer.accept({ after: [serverFrame(op.text, 'one'), serverFrame(op.text, 'two'), serverFrame(op.text, 'three')] }));
    const sock = await dial(t, url);
    await sleep(50);
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [data] = await nextMessage(sock, 500).catch(() => [Buffer.from('<none>')] as [Buffer]);
      got.push(data.toString());
    }
    assert.deepEqual(got, ['one', 'two', 'three']);
  });

  it('holds a message sent with the 101 followed by a close, and reports both', async (t) => {
    const { url } = await rawServer(t, (peer) =>
      peer.accept({ after: [serverFrame(op.text, 'last words'), serverFrame(op.close, closePayload(4002, 'done'))] }),
    );
    const sock = await dial(t, url);
    const events: string[] = [];
    sock.on('message', (d: Buffer) => events.push(`message ${d.toString()}`));
    sock.on('close', (code: number, reason: string) => events.push(`close ${code} ${reason}`));
    const deadline = Date.now() + 2000;
    while (events.length < 2 && Date.now() < deadline) await sleep(10);
    assert.deepEqual(events, ['message last words', 'close 4002 done']);
  });

  it('echoes a server close frame with the same code and reports code and reason', async (t) => {
    let peer!: RawPeer;
    const { url } = await rawServer(t, (p) => {
      peer = p;
      p.accept();
      setTimeout(() => p.socket.write(serverFrame(op.close, closePayload(4003, 'bye now'))), 10);
    });
    const sock = await dial(t, url);
    const [code, reason] = await closed(sock);
    assert.equal(code, 4003);
    assert.equal(reason, 'bye now');
    const echo = await peer.tap.next(op.close);
    assert.equal(echo.payload.readUInt16BE(0), 4003);
  });

  it('reports 1005 for a close frame without a code', async (t) => {
    let peer!: RawPeer;
    const { url } = await rawServer(t, (p) => {
      peer = p;
      p.accept();
      setTimeout(() => p.socket.write(serverFrame(op.close)), 10);
    });
    const sock = await dial(t, url);
    const [code] = await closed(sock);
    assert.equal(code, 1005);
    const echo = await peer.tap.next(op.close);
    assert.equal(echo.payload.length, 0, 'an empty close is echoed empty');
  });

  it('reports 1006 when the connection is cut without a close frame', async (t) => {
    const { url } = await rawServer(t, (p) => {
      p.accept();
      setTimeout(() => p.socket.destroy(), 10);
    });
    const sock = await dial(t, url);
    const [code] = await closed(sock);
    assert.equal(code, 1006);
  });

  /** The server sends `bytes` after the handshake; the client must close with `code`. */
  async function expectFailure(t: TestContext, bytes: Buffer[], code: number, o: Partial<WebSocketOptions> = {}, extensions?: string): Promise<void> {
    let peer!: RawPeer;
    const { url } = await rawServer(t, (p) => {
      peer = p;
      p.accept(extensions ? { extensions } : {});
      setTimeout(() => p.socket.write(Buffer.concat(bytes)), 10);
    });
    const sock = await dial(t, url, o);
    const messages: Buffer[] = [];
    sock.on('message', (d: Buffer) => messages.push(d));
    const [closeCode] = await closed(sock);
    assert.equal(closeCode, code, 'close event code');
    const frame = await peer.tap.next(op.close);
    assert.equal(frame.masked, true);
    assert.equal(frame.payload.readUInt16BE(0), code, 'close frame code sent to the server');
    assert.deepEqual(messages, [], 'nothing delivered');
  }

  it('closes with 1002 on a masked server frame', async (t) => {
    await expectFailure(t, [serverFrame(op.text, 'masked!', { mask: true })], 1002);
  });

  it('closes with 1007 on a text message that is not UTF-8', async (t) => {
    await expectFailure(t, [serverFrame(op.text, Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3]))], 1007);
  });

  it('closes with 1007 on invalid UTF-8 split across fragments', async (t) => {
    // 0xe2 0x82 0xac is '€'; cut after 2 bytes and continued with a non-continuation byte
    await expectFailure(t, [serverFrame(op.text, Buffer.from([0xe2, 0x82]), { fin: false }), serverFrame(op.continuation, Buffer.from([0x41]))], 1007);
  });

  it('delivers valid UTF-8 split across fragments', async (t) => {
    const { url } = await rawServer(t, (p) => {
      p.accept();
      setTimeout(() => p.socket.write(serverFrame(op.text, Buffer.from([0x61, 0xe2, 0x82]), { fin: false })), 5);
      setTimeout(() => p.socket.write(serverFrame(op.continuation, Buffer.from([0xac, 0x62]))), 15);
    });
    const sock = await dial(t, url);
    const [data, isBinary] = await nextMessage(sock);
    assert.equal(isBinary, false);
    assert.equal(data.toString(), 'a€b');
  });

  it('closes with 1009 on a message over maxMessageBytes', async (t) => {
    await expectFailure(t, [serverFrame(op.binary, Buffer.alloc(200, 1))], 1009, { maxMessageBytes: 100 });
  });

  it('accepts a message of exactly maxMessageBytes', async (t) => {
    const { url } = await rawServer(t, (p) => p.accept({ after: [serverFrame(op.binary, Buffer.alloc(100, 5))] }));
    const sock = await dial(t, url, { maxMessageBytes: 100 });
    const [data] = await nextMessage(sock);
    assert.ok(data.equals(Buffer.alloc(100, 5)));
  });

  it('closes with 1009 when fragments add up to more than maxMessageBytes', async (t) => {
    await expectFailure(t, [serverFrame(op.binary, Buffer.alloc(60), { fin: false }), serverFrame(op.continuation, Buffer.alloc(60))], 1009, { maxMessageBytes: 100 });
  });

  it('closes with 1009 when a compressed message inflates past maxMessageBytes', async (t) => {
    const bomb = deflateRawSync(Buffer.alloc(1_000_000), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const payload = bomb.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff])) ? bomb.subarray(0, -4) : bomb;
    assert.ok(payload.length < 10_000);
    await expectFailure(t, [serverFrame(op.binary, payload, { rsv1: true })], 1009, { compression: true, maxMessageBytes: 10_000 }, 'permessage-deflate; server_no_context_takeover; client_no_context_takeover');
  });

  it('inflates a compressed message from a hand-written server', async (t) => {
    const text = 'compressed hello '.repeat(100);
    const raw = deflateRawSync(Buffer.from(text), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const payload = raw.subarray(0, -4);
    const { url } = await rawServer(t, (p) =>
      p.accept({ extensions: 'permessage-deflate; server_no_context_takeover; client_no_context_takeover', after: [serverFrame(op.text, payload, { rsv1: true })] }),
    );
    const sock = await dial(t, url, { compression: true });
    assert.equal(sock.compressed, true);
    const [data, isBinary] = await nextMessage(sock);
    assert.equal(isBinary, false);
    assert.equal(data.toString(), text);
  });

  it('closes with 1007 on a compressed message that does not inflate', async (t) => {
    await expectFailure(t, [serverFrame(op.binary, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), { rsv1: true })], 1007, { compression: true }, 'permessage-deflate; server_no_context_takeover');
  });

  it('closes with 1002 on a compressed frame when deflate was not negotiated', async (t) => {
    await expectFailure(t, [serverFrame(op.text, 'x', { rsv1: true })], 1002);
  });

  it('closes with 1002 on reserved bits', async (t) => {
    await expectFailure(t, [serverFrame(op.text, 'x', { rsv2: true })], 1002);
  });

  it('closes with 1002 on an unknown data opcode', async (t) => {
    await expectFailure(t, [serverFrame(0x3, 'what')], 1002);
  });

  it('closes with 1002 on an unknown control opcode', async (t) => {
    await expectFailure(t, [serverFrame(0xb, 'what')], 1002);
  });

  it('closes with 1002 on a continuation frame without a message in progress', async (t) => {
    await expectFailure(t, [serverFrame(op.continuation, 'orphan')], 1002);
  });

  it('closes with 1002 on a new data frame in the middle of a fragmented message', async (t) => {
    await expectFailure(t, [serverFrame(op.text, 'a', { fin: false }), serverFrame(op.text, 'b')], 1002);
  });

  it('closes with 1002 on a fragmented control frame', async (t) => {
    await expectFailure(t, [serverFrame(op.ping, 'x', { fin: false })], 1002);
  });

  it('closes with 1002 on a control frame over 125 bytes', async (t) => {
    await expectFailure(t, [serverFrame(op.ping, Buffer.alloc(126))], 1002);
  });

  it('closes with 1002 on a one-byte close payload', async (t) => {
    await expectFailure(t, [serverFrame(op.close, Buffer.from([3]))], 1002);
  });

  it('rejects a wrong Sec-WebSocket-Accept (not as HandshakeRefused)', async (t) => {
    const { url } = await rawServer(t, (p) => p.socket.write(p.upgradeBytes({ accept: acceptFor('c29tZSBvdGhlciBrZXk=') })));
    await assert.rejects(dialWebSocket(url, baseOptions), (err: Error) => {
      assert.ok(!(err instanceof HandshakeRefused), `got HandshakeRefused: ${err.message}`);
      assert.match(err.message, /Sec-WebSocket-Accept/);
      return true;
    });
  });

  it('rejects a 101 without Upgrade: websocket', async (t) => {
    const { url } = await rawServer(t, (p) =>
      p.socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(p.key)}\r\n\r\n`),
    );
    await assert.rejects(dialWebSocket(url, baseOptions), (err: Error) => !(err instanceof HandshakeRefused));
  });

  it('rejects an extension the client did not offer', async (t) => {
    const { url } = await rawServer(t, (p) => p.accept({ extensions: 'permessage-deflate; server_no_context_takeover' }));
    await assert.rejects(dialWebSocket(url, { ...baseOptions, compression: false }), (err: Error) => !(err instanceof HandshakeRefused) && /extension/.test(err.message));
  });

  it('rejects deflate that keeps the server context', async (t) => {
    const { url } = await rawServer(t, (p) => p.accept({ extensions: 'permessage-deflate; client_no_context_takeover' }));
    await assert.rejects(dialWebSocket(url, { ...baseOptions, compression: true }), (err: Error) => !(err instanceof HandshakeRefused) && /context/.test(err.message));
  });

  it('rejects a 403 answer with HandshakeRefused carrying the status', async (t) => {
    let peer!: RawPeer;
    const { url } = await rawServer(t, (p) => {
      peer = p;
      p.socket.write('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nforbidden');
    });
    await assert.rejects(dialWebSocket(url, { ...baseOptions, headers: { 'X-Probe': '1' } }), (err: Error) => {
      assert.ok(err instanceof HandshakeRefused, `got ${err.constructor.name}: ${err.message}`);
      assert.equal(err.status, 403);
      return true;
    });
    assert.match(peer.requestLine, /^GET \/api\/clients\/report\?token=T HTTP\/1\.1$/);
    assert.equal(peer.headers.get('upgrade'), 'websocket');
    assert.equal(peer.headers.get('x-probe'), '1');
  });

  it('rejects a 500 answer that closes the connection with HandshakeRefused 500', async (t) => {
    const { url } = await rawServer(t, (p) => p.socket.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n'));
    await assert.rejects(dialWebSocket(url, baseOptions), (err: Error) => err instanceof HandshakeRefused && err.status === 500);
  });

  it('rejects garbage instead of HTTP', async (t) => {
    const { url } = await rawServer(t, (p) => p.socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    await assert.rejects(dialWebSocket(url, baseOptions), (err: Error) => err instanceof Error && !(err instanceof HandshakeRefused));
  });

  it('rejects when the server closes during the handshake', async (t) => {
    const { url } = await rawServer(t, (p) => p.socket.end('HTTP/1.1 101 Swi'));
    await assert.rejects(dialWebSocket(url, baseOptions), (err: Error) => err instanceof Error && !(err instanceof HandshakeRefused));
  });

  it('rejects after timeoutMs when the server never answers', async (t) => {
    const { url } = await rawServer(t, () => {});
    const started = Date.now();
    await assert.rejects(dialWebSocket(url, { ...baseOptions, timeoutMs: 300 }), /300 ms/);
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 1500, `rejected after ${took} ms`);
  });

  it('rejects when aborted during the handshake', async (t) => {
    const { url } = await rawServer(t, () => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await assert.rejects(dialWebSocket(url, { ...baseOptions, timeoutMs: 5000, signal: controller.signal }), /abort/);
    assert.ok(Date.now() - started < 1000);
  });

  it('rejects at once with an already aborted signal', async (t) => {
    const { server, url } = await rawServer(t, () => {});
    await assert.rejects(dialWebSocket(url, { ...baseOptions, signal: AbortSignal.abort() }), /abort/);
    assert.equal(server.peers.length, 0);
  });

  it('rejects a refused port', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const addr = probe.address();
    assert.ok(addr && typeof addr === 'object');
    probe.close();
    await once(probe, 'close');
    await assert.rejects(dialWebSocket(`ws://127.0.0.1:${addr.port}/`, baseOptions), (err: Error) => !(err instanceof HandshakeRefused) && /ECONNREFUSED/.test(err.message));
  });

  it("still emits 'close' within about a second when the server ignores the close frame", async (t) => {
    let peer!: RawPeer;
    const { url } = await rawServer(t, (p) => {
      peer = p;
      p.accept();
    });
    const sock = await dial(t, url);
    const started = Date.now();
    const gone = closed(sock, 2500);
    sock.close(1000);
    const frame = await peer.tap.next(op.close);
    assert.equal(frame.payload.readUInt16BE(0), 1000);
    await gone;
    const took = Date.now() - started;
    assert.ok(took < 2000, `closed after ${took} ms`);
    assert.equal(sock.isClosed, true);
  });

  it('terminate() closes at once', async (t) => {
    const { url } = await rawServer(t, (p) => p.accept());
    const sock = await dial(t, url);
    const gone = closed(sock, 500);
    sock.terminate();
    const [code] = await gone;
    assert.equal(code, 1006);
  });
});

describe('wire/sha1 and wire/random', () => {
  it('sha1 matches node:crypto for inputs around the block boundaries', () => {
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4097]) {
      const data = cryptoRandomBytes(n);
      const expected = createHash('sha1').update(data).digest('hex');
      assert.equal(Buffer.from(sha1(data)).toString('hex'), expected, `length ${n}`);
    }
  });

  it('sha1 gives the known digests', () => {
    assert.equal(Buffer.from(sha1(new Uint8Array(0))).toString('hex'), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    assert.equal(Buffer.from(sha1(Buffer.from('abc'))).toString('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    // RFC 6455 §1.3's example handshake
    assert.equal(Buffer.from(sha1(Buffer.from('dGhlIHNhbXBsZSBub25jZQ==' + guid))).toString('base64'), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('randomBytes gives fresh bytes of the asked length', () => {
    const a = randomBytes(16);
    const b = randomBytes(16);
    assert.equal(a.length, 16);
    assert.equal(b.length, 16);
    assert.notDeepEqual(a, b);
    assert.ok(!a.equals(Buffer.alloc(16)), 'not all zeros');
  });

  it('randomBytes keeps working across pool refills and refuses more than the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) seen.add(randomBytes(16).toString('hex')); // ~2.3 pools
    assert.equal(seen.size, 600);
    assert.equal(randomBytes(4096).length, 4096);
    assert.throws(() => randomBytes(4097), RangeError);
  });
});
