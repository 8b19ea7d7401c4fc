import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf } from './helpers/agent-common.ts';
import {
  duKiB,
  fakeOldNode,
  filesUnder,
  hostPath,
  parseUnit,
  pidsRunning,
  readEnvFile,
  runLine,
  startLine,
  stopGroup,
  thisNodeBin,
} from './helpers/install-line.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const hasSystemdAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).status === 0;
const installDir = '/opt/komari-agent';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const onlineIn = async (url: string, uuid: string) => (await feedOf(url)).online.includes(uuid);

describe('agent install line: GET /api/agent/install.sh and the files it fetches (issue 17, item 1)', () => {
  let s: TestServer;
  let cookie: string;
  const work = mkdtempSync(join(tmpdir(), 'komari-install-'));
  const running: ChildProcess[] = [];
  before(async () => {
    ({ s, cookie } = await startWithAdmin());
  });
  after(async () => {
    for (const c of running) await stopGroup(c);
    await s?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('serves install.sh: POSIX sh (dash -n), the agent flags filled in, an ETag that answers 304', async () => {
    const res = await http(s.url, '/api/agent/install.sh');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/x-shellscript/);
    assert.match(res.text, /^#!\/bin\/sh\n/);
    assert.ok(!res.text.includes('@NODE_FLAGS@') && !res.text.includes('@MIN_NODE_MAJOR@'));
    assert.match(res.text, /NODE_FLAGS='--max-semi-space-size=1 --jitless --optimize-for-size'/);
    const check = spawnSync('sh', ['-n'], { input: res.text, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const etag = res.headers.get('etag')!;
    assert.equal((await http(s.url, '/api/agent/install.sh', { headers: { 'if-none-match': etag } })).status, 304);
  });

  it('serves the agent as one built file whose ETag is its hash; it runs on Node (--help)', async () => {
    const res = await fetch(`${s.url}/api/agent/komari-agent.cjs`);
    assert.equal(res.status, 200);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(res.headers.get('etag'), `"${createHash('sha256').update(body).digest('base64url')}"`);
    assert.match(body.toString('utf8', 0, 200), /^#!\/usr\/bin\/env -S node /);
    assert.ok(body.length < 2 * 1024 * 1024, `${body.length} bytes`);
    const file = join(work, 'komari-agent.cjs');
    writeFileSync(file, body);
    const help = spawnSync(process.execPath, [file, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^komari-agent \(komari-ts\)/);
    const again = await http(s.url, '/api/agent/komari-agent.cjs', { headers: { 'if-none-match': res.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  describe('a host with Node 24: the curl line into a temporary root', () => {
    const root = join(work, 'host-node24');
    const target = join(root, installDir);
    const unitPath = join(root, 'etc/systemd/system/komari-agent.service');
    let node: { uuid: string; token: string };
    let startedAt = 0;
    let agent: ChildProcess | undefined;

    it('installs the agent and a systemd unit; the token is only in a 0600 EnvironmentFile', async () => {
      node = await addNode(s, cookie, 'installed-24');
      startedAt = performance.now();
      const line = `curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- -e ${s.url} -t ${node.token} --root ${root} -i 1`;
      const done = await runLine(line, { PATH: hostPath(thisNodeBin) });
      assert.equal(done.code, 0, done.stderr);
      assert.ok(!done.stderr.includes(node.token), 'the token is never printed');
      assert.equal(existsSync(join(target, 'node')), false, 'no runtime downloaded: the host has Node 24');
      const unitText = readFileSync(unitPath, 'utf8');
      assert.ok(!unitText.includes(node.token));
      const unit = parseUnit(unitText);
      assert.equal(unit.environmentFile, join(target, 'agent.env'));
      assert.equal(unit.workingDirectory, target);
      assert.equal(unit.execStart[0], join(thisNodeBin, 'node'));
      assert.deepEqual(unit.execStart.slice(1), ['--max-semi-space-size=1', '--jitless', '--optimize-for-size', join(target, 'komari-agent.cjs'), '-i', '1']);
      assert.equal(statSync(unit.environmentFile).mode & 0o777, 0o600);
      assert.deepEqual(readEnvFile(unit.environmentFile), { AGENT_ENDPOINT: s.url, AGENT_TOKEN: node.token });
    });

    it('the unit passes systemd-analyze verify', { skip: hasSystemdAnalyze ? false : 'systemd-analyze is not installed on this machine' }, () => {
      const out = spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8' });
      assert.equal(out.status, 0, `${out.stdout}\n${out.stderr}`);
    });

    it("the agent, started exactly as the unit's ExecStart says, brings the node online", async (t) => {
      const unit = parseUnit(readFileSync(unitPath, 'utf8'));
      // what systemd gives the service: the EnvironmentFile's variables, the working directory
      const env = { PATH: hostPath(thisNodeBin), ...readEnvFile(unit.environmentFile) };
      agent = spawn(unit.execStart[0]!, unit.execStart.slice(1), { cwd: unit.workingDirectory, env, detached: true, stdio: 'ignore' });
      running.push(agent);
      await eventually(() => onlineIn(s.url, node.uuid), 30_000);
      const ms = performance.now() - startedAt;
      const kib = duKiB(target);
      t.diagnostic(`install line to node online (host Node 24): ${Math.round(ms)} ms; install size ${kib} KiB (no runtime)`);
    });

    it('--uninstall removes the unit and the directory, leaving no file in the root', async () => {
      await stopGroup(agent!);
      const done = await runLine(`curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- --uninstall --root ${root}`, { PATH: hostPath(thisNodeBin) });
      assert.equal(done.code, 0, done.stderr);
      assert.equal(existsSync(target), false);
      assert.deepEqual(filesUnder(root), []);
    });
  });

  describe('a host whose node is too old (v18): the wget line fetches the server runtime', () => {
    const root = join(work, 'host-node18');
    const target = join(root, installDir);

    it('downloads this server’s Node, runs the agent on it in the foreground, and the node comes online', async (t) => {
      const fakeBin = fakeOldNode(work);
      const node = await addNode(s, cookie, 'installed-18');
      const startedAt = performance.now();
      const line = `wget -qO- ${s.url}/api/agent/install.sh | sh -s -- -e ${s.url} -t ${node.token} --root ${root} --foreground -i 1`;
      const { child, done } = startLine(line, { PATH: hostPath(fakeBin) });
      running.push(child);
      await eventually(() => onlineIn(s.url, node.uuid), 60_000);
      const ms = performance.now() - startedAt;
      const runtime = join(target, 'node');
      assert.equal(sha256(readFileSync(runtime)), sha256(readFileSync(process.execPath)), "the server's own runtime");
      assert.equal(pidsRunning(runtime).length, 1, 'the agent runs on the downloaded runtime');
      const kib = duKiB(target);
      const runtimeKiB = Math.round(statSync(runtime).blocks / 2);
      t.diagnostic(`install line to node online (runtime downloaded): ${Math.round(ms)} ms; install size ${kib} KiB, of which the runtime ${runtimeKiB} KiB`);
      await stopGroup(child);
      const { stderr } = await done;
      assert.match(stderr, /no Node\.js >= 24 here \(.*fake-bin\/node is v18\.20\.4\): downloading the server's runtime for linux\//);
    });

    it('uninstalls with the same script: nothing left', async () => {
      const done = await runLine(`curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- --uninstall --root ${root}`, { PATH: hostPath(thisNodeBin) });
      assert.equal(done.code, 0, done.stderr);
      assert.deepEqual(filesUnder(root), []);
    });
  });

  it('--init openrc writes an OpenRC script without the token (checked with sh -n; OpenRC itself is not on this machine)', async () => {
    const node = await addNode(s, cookie, 'installed-openrc');
    const root = join(work, 'openrc');
    const target = join(root, installDir);
    const line = `curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- -e ${s.url} -t ${node.token} --root ${root} --init openrc --disable-web-ssh`;
    const done = await runLine(line, { PATH: hostPath(thisNodeBin) });
    assert.equal(done.code, 0, done.stderr);
    const initScript = join(root, 'etc/init.d/komari-agent');
    const text = readFileSync(initScript, 'utf8');
    assert.match(text, /^#!\/sbin\/openrc-run\n/);
    assert.ok(text.includes(`command="${join(thisNodeBin, 'node')}"`));
    assert.ok(text.includes(`command_args="--max-semi-space-size=1 --jitless --optimize-for-size ${join(target, 'komari-agent.cjs')} --disable-web-ssh"`));
    assert.ok(text.includes(`. "${join(target, 'agent.env')}"`));
    assert.ok(!text.includes(node.token));
    assert.equal(spawnSync('sh', ['-n', initScript]).status, 0);
    assert.equal(existsSync(join(root, 'etc/systemd')), false);
    const gone = await runLine(`curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- --uninstall --root ${root}`, { PATH: hostPath(thisNodeBin) });
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(filesUnder(root), []);
  });

  it('--auto-discovery through the script: the host registers itself, keeps its token 0600, and comes online', async () => {
    const key = 'install-line-key-0123456789';
    const set = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { auto_discovery_key: key } });
    assert.equal(set.status, 200, set.text);
    const root = join(work, 'auto-discovery');
    const target = join(root, installDir);
    const before = new Set((await http(s.url, '/api/admin/client/list', { cookie })).json.map((n: any) => n.uuid));
    const { child } = startLine(`curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- -e ${s.url} --auto-discovery ${key} --root ${root} --foreground`, {
      PATH: hostPath(thisNodeBin),
    });
    running.push(child);
    let added: any;
    await eventually(async () => {
      added = (await http(s.url, '/api/admin/client/list', { cookie })).json.find((n: any) => !before.has(n.uuid));
      return added !== undefined && (await onlineIn(s.url, added.uuid));
    }, 30_000);
    assert.match(added.name, /^Auto-/);
    const saved = join(target, 'auto-discovery.json');
    assert.equal(statSync(saved).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(saved, 'utf8')).uuid, added.uuid);
    assert.deepEqual(readEnvFile(join(target, 'agent.env')), { AGENT_ENDPOINT: s.url, AGENT_AUTO_DISCOVERY_KEY: key });
    await stopGroup(child);
    const done = await runLine(`curl -fsSL ${s.url}/api/agent/install.sh | sh -s -- --uninstall --root ${root}`, { PATH: hostPath(thisNodeBin) });
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(filesUnder(root), []);
  });
});
