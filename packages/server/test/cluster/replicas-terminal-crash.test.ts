import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf } from '../helpers/agent-common.ts';
import { spawnCliServer, type CliServer } from '../helpers/cli.ts';
import { clusterSkipReason, startReplicas, testNatsUrl } from '../helpers/cluster.ts';
import { testPgUrl } from '../helpers/postgres.ts';
import { http, sessionCookieOf, type TestServer } from '../helpers/server.ts';
import { agentTerminal, browserTerminal, terminalRequestId, type TerminalPeer } from '../helpers/terminal.ts';
import { V2SocketAgent } from '../helpers/v2-agent.ts';

const waiting = '等待被控端连接 waiting for agent...\n';
/** the survivor's: longer than the child's default heartbeat (1 s), which it waits on */
const replicaTimeoutMs = 2500;

describe('a replica killed with -9 ends the terminals it relayed, on the survivor (issue 16 §2)', { skip: clusterSkipReason }, () => {
  let cluster: Awaited<ReturnType<typeof startReplicas>>;
  let a: TestServer;
  let k: CliServer;
  let dir = '';
  let node = { uuid: '', token: '' };
  let main: V2SocketAgent;

  before(async () => {
    cluster = await startReplicas(1, { limits: { cluster: { heartbeatEveryMs: 100, replicaTimeoutMs }, agents: { readDeadlineMs: 10 * 60_000 } } });
    [a] = cluster.replicas as [TestServer];
    node = await addNode(a, await a.login(), 'terminal-node');
    main = await V2SocketAgent.connect(a, node.token);
    dir = mkdtempSync(join(tmpdir(), 'komari-replica-k-'));
    // a real process, so that it can die without a word
    k = await spawnCliServer(join(dir, 'unused.db'), {
      KOMARI_DB: testPgUrl,
      KOMARI_PG_SCHEMA: cluster.schema,
      KOMARI_CLUSTER: testNatsUrl,
      KOMARI_DATA_DIR: dir,
    });
  });
  after(async () => {
    main?.ws.terminate();
    if (k && k.child.exitCode === null && k.child.signalCode === null) k.child.kill('SIGKILL');
    await cluster?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function pair(browserOn: string, cookie: string, agentOn: string): Promise<{ browser: TerminalPeer; agent: TerminalPeer }> {
    const browser = await browserTerminal({ url: browserOn } as TestServer, cookie, node.uuid);
    const id = await terminalRequestId(main);
    await browser.expectText(waiting);
    const agent = await agentTerminal({ url: agentOn } as TestServer, node.token, id);
    browser.send(Buffer.from('ping\r'), true);
    assert.deepEqual((await agent.next()).data, Buffer.from('ping\r'));
    agent.send(Buffer.from('pong\r\n'), true);
    assert.deepEqual((await browser.next()).data, Buffer.from('pong\r\n'));
    return { browser, agent };
  }

  it('both the browser on the survivor and the agent socket on the survivor close within the replica timeout', async (t) => {
    const login = await http(k.url, '/api/login', { method: 'POST', body: { username: a.adminUsername, password: a.adminPassword } });
    const cookieK = sessionCookieOf(login.headers);
    assert.ok(cookieK, login.text);
    // the child sees the node online through the survivor, so its request goes there
    await eventually(async () => (await feedOf(k.url)).online.includes(node.uuid), 5000);
    // browser on the survivor, agent dialled the child; and the other way round
    const browserHere = (await pair(a.url, await a.login(), k.url)).browser;
    const agentHere = (await pair(k.url, cookieK, a.url)).agent;
    assert.equal(a.ctx.terminalRelay.agentsElsewhere, 1);
    assert.equal(a.ctx.terminalRelay.agentsHere, 1);

    const killedAt = Date.now();
    k.child.kill('SIGKILL');
    const [browserClosed, agentClosed] = await Promise.all([browserHere.closed, agentHere.closed]);
    const took = Date.now() - killedAt;
    t.diagnostic(`both sides closed ${took} ms after the kill (replicaTimeoutMs ${replicaTimeoutMs})`);
    assert.equal(browserClosed.code, 1000);
    assert.equal(agentClosed.code, 1000);
    // the silence is timed from the last heartbeat, which came before the kill
    assert.ok(took < replicaTimeoutMs + 1000, `closed ${took} ms after the kill`);
    assert.equal(a.ctx.terminalRelay.agentsElsewhere + a.ctx.terminalRelay.agentsHere, 0);
    assert.equal(a.ctx.terminal.size, 0);
  });
});
