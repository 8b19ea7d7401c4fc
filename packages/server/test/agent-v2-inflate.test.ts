import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { constants, deflateRawSync } from 'node:zlib';
import WebSocket, { WebSocketServer } from 'ws';
import { agentDeflateOptions } from '../src/agents/v2/deflate-options.ts';
import { inflateHere } from '../src/agents/v2/inflate-here.ts';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';

/** A message deflated as a no-context-takeover peer sends it (RFC 7692 §7.2.1: trailer removed). */
const deflated = (data: Buffer): Buffer => deflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, -4);

/** One masked client frame. */
function frame(opcode: number, payload: Buffer, o: { fin?: boolean; rsv1?: boolean } = {}): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0, 0x80 | len]) : len < 65536 ? Buffer.from([0, 0x80 | 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0, 0x80 | 127]), (() => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    return b;
  })()]);
  head[0] = ((o.fin ?? true) ? 0x80 : 0) | (o.rsv1 ? 0x40 : 0) | opcode;
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([head, mask, body]);
}

/** A raw agent socket that negotiated permessage-deflate with no context takeover. */
async function rawAgent(s: TestServer, token: string): Promise<{ socket: net.Socket; closeCode: () => Promise<number> }> {
  const { port } = new URL(s.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `GET /api/clients/v2/rpc?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      'Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover\r\n\r\n',
  );
  let got = Buffer.alloc(0);
  while (!got.includes('\r\n\r\n')) got = Buffer.concat([got, (await once(socket, 'data'))[0] as Buffer]);
  const head = got.subarray(0, got.indexOf('\r\n\r\n')).toString();
  assert.match(head, /^HTTP\/1\.1 101/);
  assert.match(head, /permessage-deflate/i);
  let rest = got.subarray(got.indexOf('\r\n\r\n') + 4);
  const closed = new Promise<number>((resolve) => {
    const look = () => {
      // server frames are unmasked; a close frame's payload starts with its code
      while (rest.length >= 2) {
        const len = rest[1]! & 0x7f;
        const start = len === 126 ? 4 : len === 127 ? 10 : 2;
        const size = len === 126 ? rest.readUInt16BE(2) : len === 127 ? Number(rest.readBigUInt64BE(2)) : len;
        if (rest.length < start + size) return;
        if ((rest[0]! & 0x0f) === 0x8) return resolve(size >= 2 ? rest.readUInt16BE(start) : 1005);
        rest = rest.subarray(start + size);
      }
    };
    socket.on('data', (d: Buffer) => {
      rest = Buffer.concat([rest, d]);
      look();
    });
    socket.on('close', () => resolve(-1));
    look();
  });
  return { socket, closeCode: () => closed };
}

describe('compressed agent frames are inflated in place, each on its own (issue 16 §3)', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  it('a report sent as three compressed fragments arrives whole', async () => {
    const node = await addNode(s, cookie, 'fragments');
    const agent = await rawAgent(s, node.token);
    const report = sampleReport();
    report.message = 'fragmented';
    const body = deflated(Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'agent.report', params: { report } })));
    const third = Math.ceil(body.length / 3);
    agent.socket.write(frame(0x1, body.subarray(0, third), { fin: false, rsv1: true }));
    agent.socket.write(frame(0x0, body.subarray(third, 2 * third), { fin: false }));
    agent.socket.write(frame(0x0, body.subarray(2 * third)));
    await eventually(() => s.ctx.live.latest(node.uuid)?.report.message === 'fragmented');
    agent.socket.destroy();
  });

  it('a deflate bomb stops at the frame cap: closed with 1009, nothing recorded, the server serves on', async () => {
    const node = await addNode(s, cookie, 'bomb');
    const agent = await rawAgent(s, node.token);
    const bomb = deflated(Buffer.alloc(s.ctx.config.bodyLimit + 1024 * 1024, 0x20));
    assert.ok(bomb.length < s.ctx.config.bodyLimit / 100, 'the bomb itself is small');
    agent.socket.write(frame(0x1, bomb, { rsv1: true }));
    assert.equal(await agent.closeCode(), 1009);
    agent.socket.destroy();
    assert.equal(s.ctx.live.latest(node.uuid), undefined);
    const next = await rawAgent(s, node.token);
    next.socket.write(frame(0x1, deflated(Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() } }))), { rsv1: true }));
    await eventually(() => s.ctx.live.latest(node.uuid) !== undefined);
    next.socket.destroy();
  });

  it('data that is not deflate closes the socket with 1007 and records nothing', async () => {
    const node = await addNode(s, cookie, 'garbage');
    const agent = await rawAgent(s, node.token);
    agent.socket.write(frame(0x1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]), { rsv1: true }));
    assert.equal(await agent.closeCode(), 1007);
    agent.socket.destroy();
    assert.equal(s.ctx.live.latest(node.uuid), undefined);
  });
});

describe('inflateHere on a ws server', () => {
  let wss: WebSocketServer;
  let url: string;
  const received: string[] = [];
  let serverSide: WebSocket | undefined;
  let tookOver: boolean | undefined;

  before(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: agentDeflateOptions, maxPayload: 1 << 20 });
    await once(wss, 'listening');
    url = `ws://127.0.0.1:${(wss.address() as net.AddressInfo).port}`;
    wss.on('connection', (ws) => {
      serverSide = ws;
      tookOver = inflateHere(ws, 1 << 20);
      ws.on('message', (d) => received.push(String(d)));
    });
  });
  after(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });

  it('keeps no inflate stream for the socket, and every message arrives intact and in order', async () => {
    const client = new WebSocket(url, { perMessageDeflate: { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 0 } });
    await once(client, 'open');
    const sent = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i * 40), text: '中文 ✓' }));
    for (const m of sent) client.send(m);
    await eventually(() => received.length === sent.length);
    assert.deepEqual(received, sent);
    assert.equal(tookOver, true);
    const ext = (serverSide as unknown as { _extensions: Record<string, { _inflate?: unknown }> })._extensions['permessage-deflate']!;
    assert.equal(ext._inflate ?? null, null, 'ws never built its per-socket inflate stream');
    client.close();
  });

  it('leaves a socket without compression alone', async () => {
    const client = new WebSocket(url, { perMessageDeflate: false });
    await once(client, 'open');
    await eventually(() => tookOver === false);
    client.close();
  });
});
