import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpParseError, ResponseReader } from '../src/wire/http-response.ts';
import { originOf, requestHead } from '../src/wire/connect.ts';

type ReaderOptions = ConstructorParameters<typeof ResponseReader>[0];

const feeds = ['one chunk', 'byte by byte', 'two halves'] as const;
type Feed = (typeof feeds)[number];

/** Pushes `raw` into a fresh reader the way `feed` says; returns the reader. */
function read(raw: string | Buffer, feed: Feed, o: ReaderOptions = { maxBodyBytes: 1024 * 1024 }): ResponseReader {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  const reader = new ResponseReader(o);
  if (feed === 'one chunk') reader.push(bytes);
  else if (feed === 'two halves') {
    const mid = bytes.length >> 1;
    reader.push(bytes.subarray(0, mid));
    reader.push(bytes.subarray(mid));
  } else for (const b of bytes) reader.push(Buffer.from([b]));
  return reader;
}

/** Runs `body` once for each way of feeding the bytes. */
function eachFeed(name: string, body: (feed: Feed) => void): void {
  for (const feed of feeds) it(`${name} (${feed})`, () => body(feed));
}

describe('wire/http-response ResponseReader', () => {
  eachFeed('reads a Content-Length body', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-Multi: a\r\nX-Multi: b\r\n\r\n{"ok":true}', feed);
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 200);
    assert.equal(r.head?.keepAlive, true);
    assert.equal(r.head?.headers.get('content-type'), 'application/json');
    assert.equal(r.head?.headers.get('x-multi'), 'a, b', 'repeated headers are joined');
    assert.equal(r.body().toString(), '{"ok":true}');
    assert.equal(r.leftover.length, 0);
  });

  eachFeed('keeps bytes past a Content-Length body as leftover', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200', feed);
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), 'abc');
    assert.equal(r.leftover.toString(), 'HTTP/1.1 200');
  });

  eachFeed('is not done until the whole Content-Length body came', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345', feed);
    assert.equal(r.done, false);
    assert.equal(r.head?.status, 200);
    r.push(Buffer.from('67890'));
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), '1234567890');
  });

  eachFeed('reads a zero-length body', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', feed);
    assert.equal(r.done, true);
    assert.equal(r.body().length, 0);
  });

  eachFeed('reads a chunked body with extensions and trailers', (feed) => {
    const r = read(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' +
        '5;name=value\r\nhello\r\n' +
        '7;foo="bar";baz\r\n, world\r\n' +
        'a\r\n0123456789\r\n' +
        'A\r\nABCDEFGHIJ\r\n' +
        '0;last\r\nX-Trailer: yes\r\nX-Other: 2\r\n\r\n',
      feed,
    );
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 200);
    assert.equal(r.head?.keepAlive, true);
    assert.equal(r.body().toString(), 'hello, world0123456789ABCDEFGHIJ');
    assert.equal(r.leftover.length, 0);
  });

  // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), and
  // §5.6.3: recipients MUST parse and remove bad whitespace (BWS).
  eachFeed('accepts whitespace before a chunk extension (BWS)', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 ; name=value\r\nhello\r\n0\r\n\r\n', feed);
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), 'hello');
  });

  eachFeed('reads a chunked body without trailers and keeps what follows', (feed) => {
    const r = read('HTTP/1.1 201 Created\r\ntransfer-encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nNEXT', feed);
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 201);
    assert.equal(r.body().toString(), 'abc');
    assert.equal(r.leftover.toString(), 'NEXT');
  });

  eachFeed('is not done before the last chunk and the end of the trailers', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n', feed);
    assert.equal(r.done, false);
    r.push(Buffer.from('X-T: 1\r\n'));
    assert.equal(r.done, false);
    r.push(Buffer.from('\r\n'));
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), 'abc');
  });

  eachFeed('prefers chunked over Content-Length', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n', feed);
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), 'hi');
  });

  eachFeed('reads a body until the connection closes', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome text that', feed);
    assert.equal(r.done, false, 'not done before the connection ends');
    assert.equal(r.head?.keepAlive, false, 'a read-until-close body cannot keep the connection');
    r.push(Buffer.from(' goes on'));
    r.end();
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), 'some text that goes on');
  });

  eachFeed('reads an HTTP/1.0 answer until close', (feed) => {
    const r = read('HTTP/1.0 200 OK\r\n\r\nold', feed);
    assert.equal(r.head?.keepAlive, false);
    r.end();
    assert.equal(r.body().toString(), 'old');
  });

  eachFeed('skips 100 Continue before the real answer', (feed) => {
    const r = read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', feed);
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 200);
    assert.equal(r.body().toString(), 'ok');
  });

  eachFeed('skips several interim answers with headers', (feed) => {
    const r = read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope', feed);
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 404);
    assert.equal(r.head?.headers.get('link'), undefined, 'headers of the interim answer are dropped');
    assert.equal(r.body().toString(), 'nope');
  });

  eachFeed('ends a 204 answer with its head', (feed) => {
    const r = read('HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\nNEXT', feed);
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 204);
    assert.equal(r.body().length, 0);
    assert.equal(r.leftover.toString(), 'NEXT');
  });

  eachFeed('ends a 304 answer with its head', (feed) => {
    const r = read('HTTP/1.1 304 Not Modified\r\n\r\n', feed);
    assert.equal(r.done, true);
    assert.equal(r.body().length, 0);
  });

  eachFeed('ends the answer to a HEAD request with its head despite Content-Length', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n', feed, { method: 'HEAD', maxBodyBytes: 10 });
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 200);
    assert.equal(r.body().length, 0);
  });

  eachFeed('reads a body with Content-Length for a non-HEAD method', (feed) => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody', feed, { method: 'POST', maxBodyBytes: 10 });
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), 'body');
  });

  eachFeed('ends with the head in headOnly mode and keeps the frames after it', (feed) => {
    const frames = Buffer.from([0x81, 0x02, 0x68, 0x69]);
    const raw = Buffer.concat([Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'), frames]);
    const r = read(raw, feed, { headOnly: true, maxBodyBytes: 0 });
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 101);
    assert.equal(r.head?.headers.get('upgrade'), 'websocket');
    assert.deepEqual(r.leftover, frames);
  });

  eachFeed('ends a refused upgrade with its head in headOnly mode', (feed) => {
    const r = read('HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden', feed, { headOnly: true, maxBodyBytes: 0 });
    assert.equal(r.done, true);
    assert.equal(r.head?.status, 403);
  });

  eachFeed('honours Connection: close on HTTP/1.1 and keep-alive on HTTP/1.0', (feed) => {
    const close = read('HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n', feed);
    assert.equal(close.head?.keepAlive, false);
    const keep = read('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n', feed);
    assert.equal(keep.head?.keepAlive, true);
  });

  const malformed: Array<[string, string]> = [
    ['a garbage status line', 'SSH-2.0-OpenSSH_9.6\r\n\r\n'],
    ['HTTP/2 in the status line', 'HTTP/2 200 OK\r\n\r\n'],
    ['a two-digit status', 'HTTP/1.1 20 OK\r\n\r\n'],
    ['a status without a space', 'HTTP/1.1 200OK\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n'],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n'],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
    ['an empty chunk size line', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n'],
    ['a chunk without CRLF after its data', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY\r\n0\r\n\r\n'],
    ['a chunk size over 8 hex digits', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000\r\n'],
  ];
  for (const [what, raw] of malformed) {
    eachFeed(`throws HttpParseError on ${what}`, (feed) => {
      assert.throws(() => read(raw, feed, { maxBodyBytes: 1024 * 1024 }), HttpParseError);
    });
  }

  it('throws HttpParseError on a head over 64 KiB (in 1 KiB chunks)', () => {
    const raw = Buffer.from(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70 * 1024)}`);
    const r = new ResponseReader({ maxBodyBytes: 100 });
    assert.throws(() => {
      for (let i = 0; i < raw.length; i += 1024) r.push(raw.subarray(i, i + 1024));
    }, HttpParseError);
    assert.throws(() => read(raw, 'one chunk'), HttpParseError);
  });

  eachFeed('throws HttpParseError on a chunk size line that never ends', (feed) => {
    assert.throws(() => read(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1'.repeat(5000)}`, feed), HttpParseError);
  });

  eachFeed('throws HttpParseError on a Content-Length over maxBodyBytes', (feed) => {
    assert.throws(() => read('HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n', feed, { maxBodyBytes: 100 }), HttpParseError);
  });

  eachFeed('accepts a Content-Length body of exactly maxBodyBytes', (feed) => {
    const r = read(`HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'b'.repeat(100)}`, feed, { maxBodyBytes: 100 });
    assert.equal(r.done, true);
    assert.equal(r.body().length, 100);
  });

  eachFeed('throws HttpParseError on a chunked body over maxBodyBytes', (feed) => {
    const raw = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n${'c'.repeat(50)}\r\n32\r\n${'d'.repeat(50)}\r\n1\r\ne\r\n0\r\n\r\n`;
    assert.throws(() => read(raw, feed, { maxBodyBytes: 100 }), HttpParseError);
    const fits = read(raw.replace('1\r\ne\r\n', ''), feed, { maxBodyBytes: 100 });
    assert.equal(fits.done, true);
    assert.equal(fits.body().length, 100);
  });

  eachFeed('throws HttpParseError on a read-until-close body over maxBodyBytes', (feed) => {
    assert.throws(() => read(`HTTP/1.1 200 OK\r\n\r\n${'f'.repeat(101)}`, feed, { maxBodyBytes: 100 }), HttpParseError);
  });

  const cutShort: Array<[string, string]> = [
    ['nothing', ''],
    ['half a head', 'HTTP/1.1 200 OK\r\nContent-Le'],
    ['only an interim answer', 'HTTP/1.1 100 Continue\r\n\r\n'],
    ['part of a Content-Length body', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345'],
    ['part of a chunked body', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'],
    ['a chunked body without the last chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n'],
    ['a chunked body without the end of the trailers', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n'],
  ];
  for (const [what, raw] of cutShort) {
    eachFeed(`end() throws HttpParseError after ${what}`, (feed) => {
      const r = read(raw, feed);
      assert.equal(r.done, false);
      assert.throws(() => r.end(), HttpParseError);
    });
  }

  it('end() after a complete answer does nothing', () => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 'one chunk');
    r.end();
    assert.equal(r.done, true);
    assert.equal(r.body().toString(), 'ok');
  });

  it('keeps bytes pushed after done as leftover', () => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokA', 'one chunk');
    r.push(Buffer.from('BC'));
    assert.equal(r.leftover.toString(), 'ABC');
    assert.equal(r.body().toString(), 'ok');
  });

  it('keeps binary body bytes intact', () => {
    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const r = read(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 256\r\n\r\n'), body]), 'byte by byte');
    assert.deepEqual(r.body(), body);
  });
});

describe('wire/connect helpers', () => {
  it('originOf gives host, port and TLS for each scheme', () => {
    assert.deepEqual(originOf(new URL('http://example.com/x')), { host: 'example.com', port: 80, secure: false });
    assert.deepEqual(originOf(new URL('https://example.com/x')), { host: 'example.com', port: 443, secure: true });
    assert.deepEqual(originOf(new URL('ws://10.0.0.1:8080/x')), { host: '10.0.0.1', port: 8080, secure: false });
    assert.deepEqual(originOf(new URL('wss://example.com/x')), { host: 'example.com', port: 443, secure: true });
    assert.deepEqual(originOf(new URL('ws://[::1]:9000/x')), { host: '::1', port: 9000, secure: false });
  });

  it('requestHead writes the request line, Host and headers', () => {
    const head = requestHead('POST', new URL('http://example.com:8080/api/x?token=a%20b'), { 'Content-Length': '2', 'X-A': 'b' });
    assert.equal(head, 'POST /api/x?token=a%20b HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 2\r\nX-A: b\r\n\r\n');
  });

  it('requestHead refuses a header with a line break', () => {
    assert.throws(() => requestHead('GET', new URL('http://example.com/'), { 'X-Evil': 'a\r\nInjected: yes' }), /line break/);
  });
});
