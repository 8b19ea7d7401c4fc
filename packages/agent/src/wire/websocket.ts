import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { type ConnectOptions, openConnection, requestHead } from './connect.ts';
import { exchange } from './exchange.ts';
import { ResponseReader } from './http-response.ts';
import { randomBytes } from './random.ts';
import { sha1 } from './sha1.ts';

/**
 * A WebSocket client (RFC 6455) with permessage-deflate without context takeover (RFC 7692),
 * which is what the official agent's gorilla/websocket speaks. Written on node:net because the
 * `ws` package pulls in node:http, node:https, node:tls and node:crypto, ~12 MiB of the agent's
 * RSS budget (BENCHMARKS.md, Agent); node:tls is loaded only for wss:// endpoints.
 *
 * Events: 'message' (data: Buffer, isBinary: boolean), 'pong', 'close' (code: number, reason:
 * string) once the connection is gone. Messages that arrive before there is a 'message' listener
 * (a server may send its first frames in the same read as the 101) wait for one.
 */

/** The server answered the upgrade with an HTTP status other than 101. */
export class HandshakeRefused extends Error {
  readonly status: number;

  constructor(status: number) {
    super(`handshake answered HTTP ${status}`);
    this.status = status;
  }
}

/** `timeoutMs` covers the connect and the handshake. */
export interface WebSocketOptions extends ConnectOptions {
  /** offer permessage-deflate */
  compression: boolean;
  headers?: Record<string, string>;
  /** messages over this are refused with close code 1009; default 16 MiB */
  maxMessageBytes?: number;
}

const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const deflateTail = Buffer.from([0x00, 0x00, 0xff, 0xff]);
/** Messages shorter than this are not worth compressing (the `ws` package's threshold). */
const compressFrom = 1024;
/** After our close frame, the server has this long to close the connection. */
const closeGraceMs = 1000;

const opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Checks the server's permessage-deflate answer; true when compression is on. */
function negotiatedDeflate(offered: boolean, header: string | undefined): boolean {
  if (!header) return false;
  const [name, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (!offered || name !== 'permessage-deflate' || header.includes(',')) throw new Error(`the server answered an extension not offered: ${header}`);
  const names = params.map((p) => p.split('=')[0]!.trim());
  // without context takeover on the server's side every message inflates on its own
  if (!names.includes('server_no_context_takeover')) throw new Error('the server kept its compression context (no server_no_context_takeover)');
  const unknown = names.find((n) => n !== 'server_no_context_takeover' && n !== 'client_no_context_takeover' && n !== 'server_max_window_bits');
  if (unknown) throw new Error(`the server answered a deflate parameter not offered: ${unknown}`);
  return true;
}

/** Opens a WebSocket; rejects with HandshakeRefused for an HTTP answer, else with an Error. */
export async function dialWebSocket(address: string, o: WebSocketOptions): Promise<WireSocket> {
  const url = new URL(address);
  const deadline = Date.now() + o.timeoutMs;
  const socket = await openConnection(url, o);
  const key = randomBytes(16).toString('base64');
  const headers: Record<string, string> = {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Version': '13',
    ...(o.compression ? { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_no_context_takeover; server_no_context_takeover' } : {}),
    ...o.headers,
  };
  const reader = new ResponseReader({ headOnly: true, maxBodyBytes: 0 });
  await exchange(socket, Buffer.from(requestHead('GET', url, headers), 'latin1'), reader, {
    deadline,
    timeoutMs: o.timeoutMs,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const head = reader.head!;
  const fail = (message: string): never => {
    socket.destroy();
    throw new Error(message);
  };
  if (head.status !== 101) {
    socket.destroy();
    throw new HandshakeRefused(head.status);
  }
  if ((head.headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') fail('the server did not upgrade to websocket');
  const expected = Buffer.from(sha1(Buffer.from(key + acceptGuid, 'latin1'))).toString('base64');
  if (head.headers.get('sec-websocket-accept') !== expected) fail('the server answered a wrong Sec-WebSocket-Accept');
  let deflate = false;
  try {
    deflate = negotiatedDeflate(o.compression, head.headers.get('sec-websocket-extensions'));
  } catch (err) {
    fail((err as Error).message);
  }
  return new WireSocket(socket, reader.leftover, { deflate, maxMessageBytes: o.maxMessageBytes ?? 16 * 1024 * 1024 });
}

/** A frame of ours: FIN set, masked with fresh random bytes as a client must (RFC 6455 §5.3). */
function frame(op: number, payload: Buffer, compressed = false): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const out = Buffer.allocUnsafe(2 + lengthBytes + 4 + length);
  out[0] = 0x80 | (compressed ? 0x40 : 0) | op;
  out[1] = 0x80 | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) out.writeUInt16BE(length, 2);
  else if (lengthBytes === 8) out.writeBigUInt64BE(BigInt(length), 2);
  const maskAt = 2 + lengthBytes;
  randomBytes(4).copy(out, maskAt);
  for (let i = 0; i < length; i++) out[maskAt + 4 + i] = payload[i]! ^ out[maskAt + (i & 3)]!;
  return out;
}

export class WireSocket extends EventEmitter {
  #state: 'open' | 'closing' | 'closed' = 'open';
  readonly #socket: Socket;
  readonly #deflate: boolean;
  readonly #maxMessageBytes: number;
  /** bytes read and not yet parsed, and how many a frame in progress needs */
  #chunks: Buffer[] = [];
  #buffered = 0;
  #need = 2;
  /** the data message in progress */
  #fragments: Buffer[] = [];
  #fragmentBytes = 0;
  #fragmentOp = -1;
  #fragmentCompressed = false;
  #held: Array<[Buffer, boolean]> = [];
  #closeCode = 1006;
  #closeReason = '';
  #closeTimer: NodeJS.Timeout | undefined;
  /** a close frame came or the server broke the protocol: nothing more is read */
  #stopped = false;

  constructor(socket: Socket, firstBytes: Buffer, o: { deflate: boolean; maxMessageBytes: number }) {
    super();
    this.#socket = socket;
    this.#deflate = o.deflate;
    this.#maxMessageBytes = o.maxMessageBytes;
    this.on('newListener', (event: string) => {
      if (event === 'message' && this.#held.length) queueMicrotask(() => this.#deliverHeld());
    });
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('error', () => socket.destroy()); // the 'close' below reports it
    socket.on('close', () => this.#closed());
    if (firstBytes.length) this.#read(firstBytes);
  }

  /** The permessage-deflate extension is on. */
  get compressed(): boolean {
    return this.#deflate;
  }

  get isOpen(): boolean {
    return this.#state === 'open';
  }

  get isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** Bytes written and not yet handed to the kernel. */
  get bufferedAmount(): number {
    return this.#socket.writableLength;
  }

  /** Sends a text (string) or binary (Buffer) message; `done` gets the write's outcome. */
  send(data: string | Buffer, done?: (err?: Error) => void): void {
    if (this.#state !== 'open') {
      if (done) queueMicrotask(() => done(new Error('the socket is not open')));
      return;
    }
    const op = typeof data === 'string' ? opcode.text : opcode.binary;
    let payload = typeof data === 'string' ? Buffer.from(data) : data;
    let compressed = false;
    if (this.#deflate && payload.length >= compressFrom) {
      payload = deflateRawSync(payload, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      if (payload.subarray(-4).equals(deflateTail)) payload = payload.subarray(0, -4);
      compressed = true;
    }
    this.#socket.write(frame(op, payload, compressed), (err) => done?.(err ?? undefined));
  }

  ping(): void {
    if (this.#state === 'open') this.#socket.write(frame(opcode.ping, Buffer.alloc(0)));
  }

  /** Starts the closing handshake; the connection is cut if the server does not finish it. */
  close(code = 1000, reason = ''): void {
    if (this.#state !== 'open') return;
    this.#sendClose(code, reason);
    this.#closeCode = code;
    this.#closeReason = reason;
  }

  /** Cuts the connection at once. */
  terminate(): void {
    this.#socket.destroy();
  }

  #sendClose(code: number | undefined, reason = ''): void {
    this.#state = 'closing';
    const payload = code === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason).subarray(0, 123)]);
    this.#socket.write(frame(opcode.close, payload));
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), closeGraceMs);
    this.#closeTimer.unref();
  }

  #closed(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#stopped = true;
    clearTimeout(this.#closeTimer);
    this.#chunks = [];
    this.#fragments = [];
    this.emit('close', this.#closeCode, this.#closeReason);
  }

  /** A protocol violation by the server: close with `code` and stop reading. */
  #fail(code: number, reason: string): void {
    this.#stopped = true;
    this.#chunks = [];
    this.#buffered = 0;
    if (this.#state === 'open') this.#sendClose(code, reason);
    this.#closeCode = code;
    this.#closeReason = reason;
    this.#socket.end();
  }

  #read(chunk: Buffer): void {
    if (this.#stopped) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    while (this.#buffered >= this.#need && !this.#stopped) {
      if (!this.#parseFrame()) break;
    }
  }

  /** The first `n` buffered bytes as one buffer (joins chunks only when a frame spans them). */
  #peek(n: number): Buffer {
    if (this.#chunks[0]!.length < n) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0]!;
  }

  #consume(n: number): void {
    const first = this.#peek(n);
    this.#chunks[0] = first.subarray(n);
    if (this.#chunks[0].length === 0) this.#chunks.shift();
    this.#buffered -= n;
  }

  /** Parses one whole frame if buffered; false when more bytes are needed or reading stopped. */
  #parseFrame(): boolean {
    const b = this.#peek(Math.min(this.#buffered, 14));
    const fin = (b[0]! & 0x80) !== 0;
    const rsv1 = (b[0]! & 0x40) !== 0;
    const op = b[0]! & 0x0f;
    const lengthCode = b[1]! & 0x7f;
    const headerBytes = 2 + (lengthCode === 126 ? 2 : lengthCode === 127 ? 8 : 0);
    if (this.#buffered < headerBytes) return ((this.#need = headerBytes), false);
    let length = lengthCode;
    if (lengthCode === 126) length = b.readUInt16BE(2);
    else if (lengthCode === 127) {
      const high = b.readUInt32BE(2);
      if (high > 0x1fffff) return this.#stop(1009, 'frame too large');
      length = high * 2 ** 32 + b.readUInt32BE(6);
    }
    if (b[1]! & 0x80) return this.#stop(1002, 'a server frame must not be masked');
    if (b[0]! & 0x30) return this.#stop(1002, 'reserved bits set');
    const problem = this.#frameProblem(op, fin, rsv1, length);
    if (problem) return this.#stop(...problem);
    if (this.#buffered < headerBytes + length) return ((this.#need = headerBytes + length), false);
    const payload = Buffer.from(this.#peek(headerBytes + length).subarray(headerBytes, headerBytes + length));
    this.#consume(headerBytes + length);
    this.#need = 2;
    if (op >= opcode.close) this.#control(op, payload);
    else this.#data(op, fin, rsv1, payload);
    return !this.#stopped;
  }

  /** #fail, for #parseFrame: reading stops. */
  #stop(code: number, reason: string): false {
    this.#fail(code, reason);
    return false;
  }

  #frameProblem(op: number, fin: boolean, rsv1: boolean, length: number): [number, string] | undefined {
    if (op >= opcode.close) {
      if (op > opcode.pong) return [1002, `unknown opcode ${op}`];
      if (!fin || length > 125 || rsv1) return [1002, 'bad control frame'];
      return undefined;
    }
    if (op > opcode.binary) return [1002, `unknown opcode ${op}`];
    if (op === opcode.continuation ? this.#fragmentOp < 0 || rsv1 : this.#fragmentOp >= 0) return [1002, 'bad fragmentation'];
    if (rsv1 && !this.#deflate) return [1002, 'compressed frame without permessage-deflate'];
    if (this.#fragmentBytes + length > this.#maxMessageBytes) return [1009, 'message too large'];
    return undefined;
  }

  #control(op: number, payload: Buffer): void {
    if (op === opcode.ping) {
      if (this.#state === 'open') this.#socket.write(frame(opcode.pong, payload));
    } else if (op === opcode.pong) {
      this.emit('pong');
    } else {
      if (payload.length === 1) return this.#fail(1002, 'bad close frame');
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.#stopped = true;
      if (this.#state === 'open') this.#sendClose(payload.length >= 2 ? code : undefined);
      this.#closeCode = code;
      this.#closeReason = payload.subarray(2).toString('utf8');
      this.#socket.end();
    }
  }

  #data(op: number, fin: boolean, rsv1: boolean, payload: Buffer): void {
    if (op !== opcode.continuation) {
      this.#fragmentOp = op;
      this.#fragmentCompressed = rsv1;
    }
    this.#fragments.push(payload);
    this.#fragmentBytes += payload.length;
    if (!fin) return;
    const isBinary = this.#fragmentOp === opcode.binary;
    let data = Buffer.concat(this.#fragments);
    const compressed = this.#fragmentCompressed;
    this.#fragments = [];
    this.#fragmentBytes = 0;
    this.#fragmentOp = -1;
    if (compressed) {
      try {
        data = inflateRawSync(Buffer.concat([data, deflateTail]), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: this.#maxMessageBytes });
      } catch (err) {
        return this.#fail((err as Error).name === 'RangeError' ? 1009 : 1007, 'bad compressed message');
      }
    }
    if (!isBinary && !isUtf8(data)) return this.#fail(1007, 'text message is not UTF-8');
    this.#held.push([data, isBinary]);
    this.#deliverHeld();
  }

  /** Held messages, for as long as there is a listener (a once() listener takes one). */
  #deliverHeld(): void {
    while (this.#held.length && this.listenerCount('message') > 0) {
      const [data, isBinary] = this.#held.shift()!;
      this.emit('message', data, isBinary);
    }
  }
}
