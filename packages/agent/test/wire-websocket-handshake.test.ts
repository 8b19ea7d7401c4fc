import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort } from '../../server/test/helpers/cli.ts';
import { dialWebSocket, HandshakeRefused } from '../src/wire/websocket.ts';
import { op, acceptFor, type RawPeer, rawServer, baseOptions, dial, closed } from './helpers/websocket-peers.ts';

describe('wire/websocket handshake and closing against hand-written servers', () => {
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
    await assert.rejects(dialWebSocket(`ws://127.0.0.1:${await freePort()}/`, baseOptions), (err: Error) => !(err instanceof HandshakeRefused) && /ECONNREFUSED/.test(err.message));
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
