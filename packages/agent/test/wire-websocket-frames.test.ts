import assert from 'node:assert/strict';
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import type { WebSocketOptions } from '../src/wire/websocket.ts';
import { op, sleep, serverFrame, closePayload, type RawPeer, rawServer, dial, closed, nextMessage } from './helpers/websocket-peers.ts';

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
});
