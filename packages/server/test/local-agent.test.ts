import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadBootConfig } from '../src/config/boot-config.ts';
import { localEndpoint } from '../src/local-agent.ts';
import { eventually, feedOf } from './helpers/agent-common.ts';
import { cliPath, spawnCliServer, startScriptPath, type CliServer } from './helpers/cli.ts';
import { http } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The processes whose parent is `pid` (the server's agent child). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const nodesOf = async (url: string) => (await http(url, '/api/nodes')).json.data as any[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the README's start command runs a local agent (issue: Agent, item 4)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-local-agent-'));
  const db = join(dir, 'data', 'komari.db');
  let server: CliServer | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers this host as a node that shows online, reported by a child agent', async () => {
    server = await spawnCliServer(db, { KOMARI_LOCAL_AGENT: undefined }, ['bash', startScriptPath]);
    const url = server.url;
    await eventually(async () => (await nodesOf(url)).length === 1, 10_000);
    const [node] = await nodesOf(url);
    assert.equal(node.name, hostname());
    await eventually(async () => (await feedOf(url)).data[node.uuid] !== undefined, 20_000);
    const feed = await feedOf(url);
    assert.ok(feed.online.includes(node.uuid));
    assert.ok(feed.data[node.uuid].ram.total > 0, 'real figures from this host');
    assert.equal(childrenOf(server.child.pid!).length, 1);
  });

  it('restarts the agent when it dies', async () => {
    const pid = server!.child.pid!;
    const [first] = childrenOf(pid);
    process.kill(first!, 'SIGKILL');
    await eventually(() => childrenOf(pid).some((c) => c !== first), 10_000);
    const [node] = await nodesOf(server!.url);
    await eventually(async () => (await feedOf(server!.url)).online.includes(node.uuid), 20_000);
  });

  it('stops the agent with the server (SIGTERM, exit 0), and reuses the same node after a restart', async () => {
    const [node] = await nodesOf(server!.url);
    const agents = childrenOf(server!.child.pid!);
    const { code } = await server!.stop();
    assert.equal(code, 0);
    for (const a of agents) assert.equal(existsSync(`/proc/${a}`), false, `agent ${a} still running`);
    server = await spawnCliServer(db, { KOMARI_LOCAL_AGENT: undefined }, ['bash', startScriptPath]);
    await eventually(async () => (await feedOf(server!.url)).online.includes(node.uuid), 20_000);
    assert.deepEqual((await nodesOf(server.url)).map((n) => n.uuid), [node.uuid]);
  });

  it('ends the agent when the server process is killed outright (kill -9)', async () => {
    const agents = childrenOf(server!.child.pid!);
    assert.equal(agents.length, 1);
    server!.child.kill('SIGKILL');
    await server!.stop();
    await eventually(() => agents.every((a) => !existsSync(`/proc/${a}`)), 10_000);
  });
});

describe('no local agent: KOMARI_LOCAL_AGENT=0, --no-local-agent, or the bare server command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-no-local-agent-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, Record<string, string | undefined>, string[]]> = [
    ['KOMARI_LOCAL_AGENT=0 with the start script', { KOMARI_LOCAL_AGENT: '0' }, ['bash', startScriptPath]],
    ['--no-local-agent beats KOMARI_LOCAL_AGENT=1', { KOMARI_LOCAL_AGENT: '1' }, [process.execPath, cliPath, 'server', '--no-local-agent']],
    ['`komari server` without the variable', { KOMARI_LOCAL_AGENT: undefined }, [process.execPath, cliPath, 'server']],
  ];
  for (const [name, env, command] of cases) {
    it(`starts none: ${name}`, async () => {
      const server = await spawnCliServer(join(dir, `${name.length}.db`), env, command);
      try {
        await sleep(1500);
        assert.deepEqual(await nodesOf(server.url), []);
        assert.deepEqual(childrenOf(server.child.pid!), []);
      } finally {
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, `signal ${stopped.signal}; stderr: ${server.stderr()}`);
      }
    });
  }

  it('refuses a value that is not a switch, naming the variable', async () => {
    await assert.rejects(
      spawnCliServer(join(dir, 'bad.db'), { KOMARI_LOCAL_AGENT: 'maybe' }),
      /KOMARI_LOCAL_AGENT \(--local-agent \/ --no-local-agent\): must be 1 or 0/,
    );
  });
});

describe('KOMARI_LOCAL_AGENT and the local endpoint', () => {
  const local = (flag: boolean | undefined, v: string | undefined) =>
    loadBootConfig({ localAgent: flag }, v === undefined ? {} : { KOMARI_LOCAL_AGENT: v }).localAgent;

  it('is off by default (only scripts/start.sh turns it on); 1/true/yes/on and 0/false/no/off; the flag wins', () => {
    assert.equal(local(undefined, undefined), false);
    assert.equal(local(undefined, ''), false);
    for (const v of ['1', 'true', 'YES', 'on']) assert.equal(local(undefined, v), true, v);
    for (const v of ['0', 'false', 'no', 'OFF']) assert.equal(local(undefined, v), false, v);
    assert.equal(local(false, '1'), false);
    assert.equal(local(true, '0'), true);
  });

  it('reaches a server listening on every address over loopback, else on its own address', () => {
    assert.equal(localEndpoint({ address: '0.0.0.0', family: 'IPv4', port: 25774 }), 'http://127.0.0.1:25774');
    assert.equal(localEndpoint({ address: '::', family: 'IPv6', port: 1 }), 'http://127.0.0.1:1');
    assert.equal(localEndpoint({ address: '10.0.0.5', family: 'IPv4', port: 2 }), 'http://10.0.0.5:2');
    assert.equal(localEndpoint({ address: '::1', family: 'IPv6', port: 3 }), 'http://[::1]:3');
  });
});
