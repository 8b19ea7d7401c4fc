import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { http, startTestServer, type TestServer } from './helpers/server.ts';
import { ask, openWs } from './helpers/ws.ts';

/** What the server wrote on a raw connection until it closed it; fails past `withinMs`. */
function answerUntilClosed(sock: net.Socket, withinMs: number): Promise<string> {
  let text = '';
  sock.on('data', (d) => (text += d.toString('latin1')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${withinMs} ms; got ${JSON.stringify(text)}`)), withinMs);
    sock.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

describe('a request that never finishes arriving is cut (issue 12, hole 4: a trickled body held its socket forever)', () => {
  let s: TestServer;
  const raw: net.Socket[] = [];

  before(async () => {
    s = await startTestServer({ limits: { http: { requestTimeoutMs: 300, headersTimeoutMs: 200, timeoutCheckEveryMs: 50 } } });
  });
  after(async () => {
    for (const sock of raw) sock.destroy();
    await s.dispose();
  });

  it('a guest POST whose body stops arriving is answered 408 and closed; a WebSocket opened before it keeps answering', async () => {
    const ws = await openWs(`${s.url.replace(/^http/, 'ws')}/api/rpc2`, { Origin: s.url });
    const { port } = new URL(s.url);
    const sock = net.connect(Number(port), '127.0.0.1');
    raw.push(sock);
    sock.write('POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const answer = await answerUntilClosed(sock, 5000);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    // the socket has been open longer than the request timeout: an upgraded socket is no request
    const reply = await ask(ws, JSON.stringify({ jsonrpc: '2.0', method: 'common:getVersion', id: 7 }));
    assert.equal(reply.id, 7);
    assert.ok(reply.result);
    ws.close();
    assert.equal((await http(s.url, '/api/version')).status, 200);
  });
});
