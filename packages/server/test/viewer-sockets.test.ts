import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { defaultServerLimits } from '../src/config/limits.ts';
import { raiseFdLimit, readFdLimit } from '../src/fd-limit.ts';
import { ViewerSockets } from '../src/realtime/viewer-sockets.ts';
import { addressGroup } from '../src/util/address-group.ts';
import { addNode, eventually } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { refusedUpgrade } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent } from './helpers/v2-agent.ts';
import { ask } from './helpers/ws.ts';

interface Opened {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  /** pings received since the socket was made: counted from the start, since the first can come in the same read as the 101 */
  pings(): number;
}

const wsBase = (s: TestServer) => s.url.replace(/^http/, 'ws');

/**
 * A browser-like socket (Origin equal to the Host, which the origin check lets through) opened
 * from a chosen loopback address: every 127.x.y.z reaches a server bound to 127.0.0.1 on Linux.
 */
function openFrom(s: TestServer, path: string, o: { from?: string; cookie?: string; autoPong?: boolean } = {}): Promise<Opened> {
  const headers: Record<string, string> = { Origin: s.url };
  if (o.cookie) headers.Cookie = `session_token=${o.cookie}`;
  const ws = new WebSocket(`${wsBase(s)}${path}`, { headers, localAddress: o.from ?? '127.0.0.1', autoPong: o.autoPong ?? true });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  let pings = 0;
  ws.on('ping', () => pings++);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closed, pings: () => pings }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

describe('guest socket caps (issue 12: 20,000 idle guest sockets took every descriptor)', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  const held: Opened[] = [];

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { viewers: { maxGuestSocketsPerIp: 3, maxGuestSockets: 5 } } }));
    node = await addNode(s, cookie, 'capped-node');
  });
  after(async () => {
    for (const o of held) o.ws.terminate();
    await s.dispose();
  });

  it('the 4th guest socket from one address is refused with 429 before the upgrade; /api/clients and /api/rpc2 count together', async () => {
    held.push(await openFrom(s, '/api/clients'), await openFrom(s, '/api/rpc2'), await openFrom(s, '/api/clients'));
    for (const path of ['/api/clients', '/api/rpc2']) {
      const refused = await refusedUpgrade(`${wsBase(s)}${path}`, { Origin: s.url });
      assert.deepEqual(refused, { status: 429, json: { status: 'error', error: 'Too many open connections from your address' } });
    }
    assert.equal(s.ctx.viewers.guests, 3);
  });

  it('past the total, a guest from another address is refused with 503', async () => {
    held.push(await openFrom(s, '/api/clients', { from: '127.0.0.2' }), await openFrom(s, '/api/clients', { from: '127.0.0.2' }));
    const ws = new WebSocket(`${wsBase(s)}/api/clients`, { headers: { Origin: s.url }, localAddress: '127.0.0.3' });
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the upgrade was accepted')));
      ws.once('error', reject);
    });
    ws.terminate();
    assert.equal(status, 503);
  });

  it('with every guest slot taken, v1 and v2 agents, an admin login and admin sockets still connect', async () => {
    const v2 = await V2SocketAgent.connect(s, node.token);
    const v1 = await V1Agent.connect(s, node.token);
    const fresh = await s.login();
    const adminFeed = await openFrom(s, '/api/clients', { cookie: fresh });
    const adminRpc = await openFrom(s, '/api/rpc2', { cookie: fresh });
    assert.equal((await ask(adminFeed.ws, 'get')).status, 'success');
    assert.equal((await ask(adminRpc.ws, JSON.stringify({ jsonrpc: '2.0', method: 'admin:listClients', id: 1 }))).result.length, 1);
    assert.equal(s.ctx.viewers.guests, 5, 'admins are not counted');
    for (const o of [adminFeed, adminRpc]) o.ws.close();
    await v1.close();
    v2.ws.close();
    await v2.closed;
  });

  it('a closed guest socket frees its slot', async () => {
    const first = held.shift()!;
    first.ws.close();
    await first.closed;
    await eventually(() => s.ctx.viewers.guests === 4);
    held.push(await openFrom(s, '/api/rpc2'));
    assert.equal(s.ctx.viewers.guests, 5);
    await assert.rejects(openFrom(s, '/api/rpc2'), /upgrade refused: 429/);
  });
});

describe('idle guests and missed pongs', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { viewers: { idleMs: 300, pingEveryMs: 100 } } }));
  });
  after(() => s.dispose());

  it('a guest /api/clients socket that never sends `get` is closed after idleMs; one that keeps asking and an admin stay', async () => {
    const admin = await openFrom(s, '/api/clients', { cookie });
    const active = await openFrom(s, '/api/clients');
    const idle = await openFrom(s, '/api/clients');
    let idleClosed = false;
    const closed = idle.closed.then((c) => ((idleClosed = true), c));
    while (!idleClosed) {
      assert.equal((await ask(active.ws, 'get')).status, 'success');
      await new Promise((r) => setTimeout(r, 20)); // a browser asks every few seconds, not in a busy loop
    }
    assert.deepEqual(await closed, { code: 1000, reason: 'idle timeout' });
    assert.equal(active.ws.readyState, WebSocket.OPEN);
    assert.equal(admin.ws.readyState, WebSocket.OPEN);
    for (const o of [admin, active]) o.ws.close();
  });

  it('a guest /api/rpc2 socket that sends nothing is closed the same way', async () => {
    const idle = await openFrom(s, '/api/rpc2');
    assert.deepEqual(await idle.closed, { code: 1000, reason: 'idle timeout' });
    await eventually(() => s.ctx.viewers.guests === 0);
  });

  it('a socket that does not answer pings is cut; one that does stays', async () => {
    const answering = await openFrom(s, '/api/clients', { cookie });
    const silent = await openFrom(s, '/api/clients', { cookie, autoPong: false });
    assert.equal((await silent.closed).code, 1006, 'terminated, no close frame');
    const pings = silent.pings();
    assert.ok(pings >= 1);
    assert.equal(answering.ws.readyState, WebSocket.OPEN);
    answering.ws.close();
  });
});

describe('the guest total under a low open-files limit', () => {
  it('guests get at most maxGuestShareOfOpenFiles of the limit, and the configured cap above it', () => {
    const log = { debug() {} } as never;
    const low = new ViewerSockets(defaultServerLimits.viewers, log, 1024);
    assert.equal(low.maxGuests, 512);
    const high = new ViewerSockets(defaultServerLimits.viewers, log, 1_048_576);
    assert.equal(high.maxGuests, defaultServerLimits.viewers.maxGuestSockets);
    low.stop();
    high.stop();
  });
});

describe('addressGroup', () => {
  it('counts IPv6 by /64 and IPv4-mapped addresses as IPv4', () => {
    assert.equal(addressGroup('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(addressGroup('2001:0db8:0001:0002::9'), '2001:db8:1:2::/64');
    assert.equal(addressGroup('2001:db8:1:3::1'), '2001:db8:1:3::/64');
    assert.equal(addressGroup('::1'), '0:0:0:0::/64');
    assert.equal(addressGroup('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressGroup('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressGroup('64:ff9b::192.0.2.7'), '64:ff9b:0:0::/64');
    assert.equal(addressGroup('192.0.2.7'), '192.0.2.7');
  });
});

describe('raising the open-files soft limit at start', () => {
  const prlimit = '/usr/bin/prlimit';

  it('raises a process started with a low soft limit to its hard limit', { skip: existsSync(prlimit) ? false : `${prlimit} is missing (util-linux)` }, async () => {
    const hard = readFdLimit()!.hard;
    const low = Math.min(256, hard);
    const child = spawn(prlimit, [`--nofile=${low}:${hard}`, 'sleep', '30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      // prlimit execs sleep in the same process once it has set the limit
      const startedLow = async () => readFdLimit(child.pid!)?.soft === low;
      for (let i = 0; !(await startedLow()); i++) {
        assert.ok(i < 200, 'the child never showed the low limit');
        await new Promise((r) => setTimeout(r, 10));
      }
      const result = raiseFdLimit(child.pid!);
      assert.equal(result.problem, undefined);
      assert.deepEqual(result.before, { soft: low, hard });
      assert.deepEqual(result.after, { soft: hard, hard });
      assert.deepEqual(readFdLimit(child.pid!), { soft: hard, hard });
    } finally {
      child.kill();
    }
  });

  it('reports a problem instead of throwing when the process cannot be read', () => {
    assert.match(raiseFdLimit(2 ** 22 + 12345).problem ?? '', /cannot read/);
  });
});
