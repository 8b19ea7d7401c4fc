import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../src/auth/totp.ts';
import { addNode, eventually } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { agentTerminal, browserTerminal, refusedUpgrade, terminalRequestId, TerminalPeer } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';

const waiting = '等待被控端连接 waiting for agent...\n';
const expired = 'Terminal session expired\n终端会话已过期\n';
const apiKey = 'terminal-reattach-Qm4Zt8Lp2Vx7Rk9Wd3Hn6Jc';

describe('terminal re-attach by request id (komari-1.5.md §4.3)', () => {
  let s: TestServer;
  let cookie: string;
  let otherCookie: string;
  let node: { uuid: string; token: string };
  let otherNode: { uuid: string; token: string };
  let main: V1Agent;
  const wsUrl = (uuid: string, query: string) => `${s.url.replace(/^http/, 'ws')}/api/admin/client/${uuid}/terminal${query}`;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ limits: { agents: { readDeadlineMs: 10 * 60_000 } } }));
    node = await addNode(s, cookie, 'reattach-node');
    otherNode = await addNode(s, cookie, 'reattach-other-node');
    main = await V1Agent.connect(s, node.token);
    main.report();
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
    // A second admin account, to prove a session is its opener's alone.
    const now = Date.now();
    const other = { uuid: randomUUID(), username: 'second-admin', passwordHash: 'x', ssoType: '', ssoId: '', twoFactor: '', createdAt: now, updatedAt: now };
    await s.ctx.store.accounts.create(other);
    otherCookie = await s.ctx.accounts.createSession(other.uuid, '127.0.0.1', 'test', 'password');
    const set = await http(s.url, '/api/rpc2', { method: 'POST', cookie, body: { jsonrpc: '2.0', method: 'admin:editSettings', params: { api_key: apiKey }, id: 1 } });
    assert.equal(set.json.error, undefined, set.text);
  });
  after(async () => {
    await main.close();
    await s.dispose();
  });

  /** A live terminal: the browser, the agent's terminal socket, the id. */
  async function livePair(query = ''): Promise<{ browser: TerminalPeer; agent: TerminalPeer; id: string }> {
    const browser = await browserTerminal(s, cookie, node.uuid, query);
    const id = await terminalRequestId(main);
    assert.equal(id, browser.requestId);
    await browser.expectText(waiting);
    const agent = await agentTerminal(s, node.token, id);
    return { browser, agent, id };
  }

  async function dropBrowser(browser: TerminalPeer): Promise<void> {
    const before = s.ctx.terminal.suspendedCount;
    browser.ws.close();
    await browser.closed;
    await eventually(() => s.ctx.terminal.suspendedCount === before + 1);
  }

  /** Every frame the browser got within a short while, joined (replayed output may come in several frames). */
  async function received(browser: TerminalPeer, expected: string): Promise<string> {
    let text = '';
    while (text.length < expected.length) {
      const f = await browser.next();
      assert.equal(f.binary, true, 'agent output reaches the browser binary');
      text += f.text;
    }
    return text;
  }

  it('keeps the agent side when the browser drops, replays what it missed, and needs no 2FA code to re-attach', async () => {
    const account = (await s.ctx.store.accounts.first())!;
    const secret = generateTotpSecret();
    await s.ctx.store.accounts.update(account.uuid, { twoFactor: secret }, Date.now());
    try {
      const { browser, agent, id } = await livePair(`?2fa_code=${totpCode(secret, Date.now())}`);
      agent.send(Buffer.from('one'), true);
      assert.equal((await browser.next()).text, 'one');

      await dropBrowser(browser);
      assert.equal(agent.open, true, 'the agent side is kept');
      assert.equal(s.ctx.terminal.get(id)?.ended, false);
      agent.send(Buffer.from('two '), true);
      agent.send(Buffer.from('three'), true);
      await eventually(() => s.ctx.terminal.get(id)?.keptOutputBytes === 9);

      // A new session would need a code now: a re-attach does not.
      const fresh = await refusedUpgrade(wsUrl(node.uuid, ''), { Origin: s.url, cookie: `session_token=${cookie}` });
      assert.equal(fresh.status, 401);
      const again = await browserTerminal(s, cookie, node.uuid, `?request_id=${id}`);
      assert.equal(again.requestId, id, 'the re-attached browser is told the same id first');
      assert.equal(await received(again, 'two three'), 'two three');
      again.send(Buffer.from('ls\r'), true);
      assert.equal((await agent.next()).text, 'ls\r');

      const lines = await s.ctx.store.audit.list({ limit: 100, offset: 0, msgType: 'terminal' });
      const line = lines.find((l) => l.message === `re-attached, terminal id:${id}`);
      assert.ok(line, 'the re-attach is audited');
      assert.deepEqual({ uuid: line.uuid, ip: line.ip }, { uuid: account.uuid, ip: '127.0.0.1' });
      again.closeTerminal();
      await agent.closed;
      assert.equal(s.ctx.terminal.size, 0);
    } finally {
      await s.ctx.store.accounts.update(account.uuid, { twoFactor: '' }, Date.now());
    }
  });

  it('answers 404 before the upgrade for another user, another node and an unknown id; an API key may re-attach', async () => {
    const { browser, agent, id } = await livePair();
    await dropBrowser(browser);
    const notFound = { status: 404, json: { status: 'error', message: 'Terminal session not found' } };
    const otherUser = await refusedUpgrade(wsUrl(node.uuid, `?request_id=${id}`), { Origin: s.url, cookie: `session_token=${otherCookie}` });
    assert.deepEqual(otherUser, notFound);
    const otherClient = await refusedUpgrade(wsUrl(otherNode.uuid, `?request_id=${id}`), { Origin: s.url, cookie: `session_token=${cookie}` });
    assert.deepEqual(otherClient, notFound);
    const unknown = await refusedUpgrade(wsUrl(node.uuid, `?request_id=${'x'.repeat(32)}`), { Origin: s.url, cookie: `session_token=${cookie}` });
    assert.deepEqual(unknown, notFound);
    for (const hostile of ['x'.repeat(4096), '..%2F..%2F', '%E8%83%BD', `${id}%00`]) {
      const res = await refusedUpgrade(wsUrl(node.uuid, `?request_id=${hostile}`), { Origin: s.url, cookie: `session_token=${cookie}` });
      assert.deepEqual(res, notFound, hostile.slice(0, 20));
    }
    const guest = await refusedUpgrade(wsUrl(node.uuid, `?request_id=${id}`), { Origin: s.url });
    assert.equal(guest.status, 401);
    assert.equal(agent.open, true, 'no refusal touched the session');

    const byKey = await browserTerminal(s, '', node.uuid, `?request_id=${id}`, { Authorization: `Bearer ${apiKey}` });
    assert.equal(byKey.requestId, id);
    agent.send(Buffer.from('$ '), true);
    assert.equal((await byKey.next()).text, '$ ');
    byKey.closeTerminal();
    await agent.closed;
  });

  it('a second browser of the owner takes the session over from the first', async () => {
    const { browser, agent, id } = await livePair();
    const second = await browserTerminal(s, cookie, node.uuid, `?request_id=${id}`);
    assert.equal((await browser.closed).reason, 'replaced by another browser');
    assert.equal(s.ctx.terminal.suspendedCount, 0, 'the replaced browser does not suspend the session');
    agent.send(Buffer.from('to second'), true);
    assert.equal((await second.next()).text, 'to second');
    second.closeTerminal();
    await agent.closed;
  });

  it('ends a suspended session after the grace; its owner is then told it expired, anyone else 404', async () => {
    s.ctx.terminal.limits.suspendGraceMs = 150;
    try {
      const { browser, agent, id } = await livePair();
      await dropBrowser(browser);
      assert.equal((await agent.closed).reason, 'suspended session expired');
      await eventually(() => s.ctx.terminal.size === 0);

      const late = new TerminalPeer(wsUrl(node.uuid, `?request_id=${id}`), { Origin: s.url, cookie: `session_token=${cookie}` });
      await late.opened();
      await late.expectText(expired);
      await late.closed;
      const stranger = await refusedUpgrade(wsUrl(node.uuid, `?request_id=${id}`), { Origin: s.url, cookie: `session_token=${otherCookie}` });
      assert.equal(stranger.status, 404);
      const agentLate = await refusedUpgrade(`${s.url.replace(/^http/, 'ws')}/api/clients/terminal?token=${node.token}&id=${id}`);
      assert.equal(agentLate.status, 404, 'the agent cannot join an ended session');
    } finally {
      s.ctx.terminal.limits.suspendGraceMs = 60_000;
    }
  });

  it('keeps only the newest output of a suspended session, within the bound', async () => {
    s.ctx.terminal.limits.suspendedTailBytes = 8;
    try {
      const { browser, agent, id } = await livePair();
      await dropBrowser(browser);
      agent.send(Buffer.from('abcd'), true);
      agent.send(Buffer.from('efghijkl'), true);
      await eventually(() => s.ctx.terminal.get(id)?.keptOutputBytes === 8);
      const again = await browserTerminal(s, cookie, node.uuid, `?request_id=${id}`);
      agent.send(Buffer.from('!'), true); // a marker: everything before it was the replay
      assert.equal(await received(again, 'efghijkl!'), 'efghijkl!');
      again.closeTerminal();
      await agent.closed;
    } finally {
      s.ctx.terminal.limits.suspendedTailBytes = 256 * 1024;
    }
  });

  it('bounds the suspended sessions: past the bound the one suspended longest ends', async () => {
    s.ctx.terminal.limits.maxSuspended = 1;
    try {
      const first = await livePair();
      await dropBrowser(first.browser);
      const second = await livePair();
      second.browser.ws.close();
      assert.equal((await first.agent.closed).reason, 'too many suspended terminals');
      assert.equal(second.agent.open, true);
      assert.equal(s.ctx.terminal.suspendedCount, 1);
      const again = await browserTerminal(s, cookie, node.uuid, `?request_id=${second.id}`);
      again.closeTerminal();
      await second.agent.closed;
    } finally {
      s.ctx.terminal.limits.maxSuspended = 64;
    }
  });
});
