import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { dialWebSocket, type WebSocketOptions, type WireSocket } from '../../src/wire/websocket.ts';

/** Servers and frame tools for the wire/websocket tests: a `ws` peer's raw bytes, hand-written servers. */

export const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const op = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sec-WebSocket-Accept for a key, computed with node:crypto (independent of the code under test). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(key + guid).digest('base64');
}

/** A frame as a server would send it (unmasked unless asked otherwise). */
export function serverFrame(code: number, payload: Buffer | string = Buffer.alloc(0), o: { fin?: boolean; rsv1?: boolean; mask?: boolean; rsv2?: boolean } = {}): Buffer {
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

export function closePayload(code: number, reason = ''): Buffer {
  return Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);
}

export interface ClientFrame {
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
export function parseFrames(buf: Buffer): { frames: ClientFrame[]; rest: Buffer } {
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
export class FrameTap extends EventEmitter {
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
export class RawPeer {
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
export class RawServer {
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

export async function rawServer(t: TestContext, onRequest: (peer: RawPeer) => void, o: { readHead?: boolean } = {}): Promise<{ server: RawServer; url: string }> {
  const server = new RawServer(onRequest, o);
  const url = await server.listen();
  t.after(() => server.close());
  return { server, url };
}

export const baseOptions: WebSocketOptions = { compression: false, insecure: false, timeoutMs: 2000 };

/** Dials and makes sure the socket is gone when the test ends. */
export async function dial(t: TestContext, url: string, o: Partial<WebSocketOptions> = {}): Promise<WireSocket> {
  const sock = await dialWebSocket(url, { ...baseOptions, ...o });
  t.after(() => sock.terminate());
  return sock;
}

/** Resolves with the 'close' event's arguments, or rejects after `timeoutMs`. */
export async function closed(sock: WireSocket, timeoutMs = 2000): Promise<[number, string]> {
  if (sock.isClosed) throw new Error('already closed before waiting');
  const [code, reason] = (await once(sock, 'close', { signal: AbortSignal.timeout(timeoutMs) })) as [number, string];
  return [code, reason];
}

export async function nextMessage(sock: WireSocket, timeoutMs = 2000): Promise<[Buffer, boolean]> {
  return (await once(sock, 'message', { signal: AbortSignal.timeout(timeoutMs) })) as [Buffer, boolean];
}
