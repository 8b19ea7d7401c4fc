/** An HTTP/1.1 answer as it arrives on a socket, fed chunk by chunk (RFC 9112). */

export interface ResponseHead {
  status: number;
  /** header names in lower case; repeated headers joined with ", " */
  headers: Map<string, string>;
  /** HTTP/1.1 without `Connection: close` */
  keepAlive: boolean;
}

/** The server's answer does not parse as HTTP: the connection cannot be used any more. */
export class HttpParseError extends Error {}

const maxHeadBytes = 64 * 1024;
const crlfcrlf = Buffer.from('\r\n\r\n');

type BodyMode = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

/**
 * Reads one response. `push` each chunk read from the socket; once `done`, `head` and `body()`
 * hold the answer and `leftover` any bytes past it. With `headOnly` (a WebSocket handshake) the
 * response ends with its head, and the bytes after it are the socket's first frames. A body over
 * `maxBodyBytes` is refused rather than buffered.
 */
export class ResponseReader {
  head: ResponseHead | undefined;
  done = false;
  leftover: Buffer = Buffer.alloc(0);
  readonly #headOnly: boolean;
  readonly #noBody: boolean;
  readonly #maxBodyBytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #mode: BodyMode = { kind: 'none' };
  #chunks: Buffer[] = [];
  #size = 0;
  /** chunked: bytes of the current chunk still to come (-1: a size line is next; -2: trailers) */
  #chunkLeft = -1;

  constructor(o: { headOnly?: boolean; method?: string; maxBodyBytes: number }) {
    this.#headOnly = o.headOnly ?? false;
    this.#noBody = o.method === 'HEAD';
    this.#maxBodyBytes = o.maxBodyBytes;
  }

  /** Consumes a chunk; throws HttpParseError when the bytes are not an HTTP/1.x response. */
  push(chunk: Buffer): void {
    if (this.done) {
      this.leftover = Buffer.concat([this.leftover, chunk]);
      return;
    }
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    if (!this.head && !this.#readHead()) return;
    this.#readBody();
  }

  /** The connection ended: completes a read-until-close body, else throws when cut short. */
  end(): void {
    if (this.done) return;
    if (this.head && this.#mode.kind === 'close') {
      this.done = true;
      return;
    }
    throw new HttpParseError(this.head ? 'the connection closed in the middle of the answer' : 'the connection closed before an answer');
  }

  body(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  #readHead(): boolean {
    const end = this.#pending.indexOf(crlfcrlf);
    if (end < 0) {
      if (this.#pending.length > maxHeadBytes) throw new HttpParseError('answer head over 64 KiB');
      return false;
    }
    const lines = this.#pending.subarray(0, end).toString('latin1').split('\r\n');
    this.#pending = this.#pending.subarray(end + 4);
    const status = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
    if (!status) throw new HttpParseError(`not an HTTP answer: ${JSON.stringify(lines[0]!.slice(0, 60))}`);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new HttpParseError(`bad header line: ${JSON.stringify(line.slice(0, 60))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const before = headers.get(name);
      headers.set(name, before === undefined ? value : `${before}, ${value}`);
    }
    const code = Number(status[2]);
    // 1xx interim answers (100 Continue) come before the real one; 101 is the real one for an upgrade
    if (code >= 100 && code < 200 && code !== 101) return this.#pending.length ? this.#readHead() : false;
    const connection = (headers.get('connection') ?? '').toLowerCase();
    const keepAlive = status[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
    this.head = { status: code, headers, keepAlive };
    this.#mode = this.#bodyMode(code, headers);
    return true;
  }

  #bodyMode(code: number, headers: Map<string, string>): BodyMode {
    if (this.#headOnly || this.#noBody || code === 204 || code === 304 || code === 101) return { kind: 'none' };
    if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) return { kind: 'chunked' };
    const length = headers.get('content-length');
    if (length !== undefined) {
      if (!/^\d+$/.test(length)) throw new HttpParseError(`bad Content-Length: ${JSON.stringify(length)}`);
      const left = Number(length);
      if (left > this.#maxBodyBytes) throw new HttpParseError(`answer body of ${left} bytes is over the limit`);
      return { kind: 'length', left };
    }
    if (this.head) this.head.keepAlive = false;
    return { kind: 'close' };
  }

  #take(n: number): void {
    this.#size += n;
    if (this.#size > this.#maxBodyBytes) throw new HttpParseError('answer body over the limit');
    this.#chunks.push(this.#pending.subarray(0, n));
    this.#pending = this.#pending.subarray(n);
  }

  #finish(): void {
    this.done = true;
    this.leftover = this.#pending;
    this.#pending = Buffer.alloc(0);
  }

  #readBody(): void {
    const mode = this.#mode;
    if (mode.kind === 'none') return this.#finish();
    if (mode.kind === 'close') return this.#take(this.#pending.length);
    if (mode.kind === 'length') {
      const n = Math.min(mode.left, this.#pending.length);
      this.#take(n);
      mode.left -= n;
      if (mode.left === 0) this.#finish();
      return;
    }
    this.#readChunks();
  }

  #readChunks(): void {
    for (;;) {
      if (this.#chunkLeft > 0) {
        const n = Math.min(this.#chunkLeft, this.#pending.length);
        this.#take(n);
        this.#chunkLeft -= n;
        if (this.#chunkLeft > 0) return;
        this.#chunkLeft = -3; // the CRLF after the data
      }
      const eol = this.#pending.indexOf('\r\n');
      if (eol < 0) {
        if (this.#pending.length > 4096) throw new HttpParseError('bad chunked body');
        return;
      }
      const line = this.#pending.subarray(0, eol).toString('latin1');
      this.#pending = this.#pending.subarray(eol + 2);
      if (this.#chunkLeft === -3) {
        if (line !== '') throw new HttpParseError('bad chunked body: no CRLF after a chunk');
        this.#chunkLeft = -1;
      } else if (this.#chunkLeft === -2) {
        if (line === '') return this.#finish(); // trailers ended
      } else {
        // RFC 9112 §7.1.1: whitespace may come before a chunk extension's ';'
        const size = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/.exec(line.trim());
        if (!size) throw new HttpParseError(`bad chunk size line: ${JSON.stringify(line.slice(0, 40))}`);
        const n = parseInt(size[1]!, 16);
        this.#chunkLeft = n === 0 ? -2 : n;
      }
    }
  }
}
