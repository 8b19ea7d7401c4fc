import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeOldNode, fakeUname, filesUnder, hostPath, runLine, thisNodeBin } from './helpers/install-line.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

const own = `os=${process.platform}&arch=${process.arch}`;

describe('agent install: hostile input (issue 17, item 1)', () => {
  let s: TestServer;
  const work = mkdtempSync(join(tmpdir(), 'komari-install-hostile-'));
  const script = join(work, 'install.sh');
  before(async () => {
    s = await startTestServer({ limits: { agentInstall: { runtimePerIp: { burst: 1, perMinute: 1, maxKeys: 10 } } } });
    const res = await http(s.url, '/api/agent/install.sh');
    assert.equal(res.status, 200);
    writeFileSync(script, res.text);
  });
  after(async () => {
    await s?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  describe('GET /api/agent/node: only ?os=&arch= of Node names; no path reaches the filesystem', () => {
    const refused = [
      '?os=linux&arch=../../etc',
      '?os=../../etc/passwd&arch=x64',
      '?os=linux&arch=x64%2F..%2F..%2Fetc%2Fshadow',
      '?os=linux&arch=%2Fetc%2Fpasswd',
      '?os=linux&arch=x64%00',
      '?os=linux&arch=X64',
      `?os=linux&arch=${'a'.repeat(17)}`,
      '?os=linux&arch=x64&arch=arm64',
      '?os=linux&arch=x64&file=/etc/passwd',
      '?os=linux',
      '',
    ];
    for (const query of refused) {
      it(`${query || '(no query)'}: 400 with a reason, not a byte of a file`, async () => {
        const res = await http(s.url, `/api/agent/node${query}`);
        assert.equal(res.status, 400, res.text);
        assert.equal(res.json.status, 'error');
        assert.match(res.json.message, /os|arch|query/);
        assert.ok(res.text.length < 300);
        assert.equal(res.headers.get('content-type')?.startsWith('application/octet-stream'), false);
      });
    }

    it('a platform the server does not run on: 404 that names it and what to do', async () => {
      const arch = process.arch === 'arm64' ? 'riscv64' : 'arm64';
      const res = await http(s.url, `/api/agent/node?os=linux&arch=${arch}`);
      assert.equal(res.status, 404);
      assert.match(res.json.message, new RegExp(`no Node\\.js runtime for linux/${arch}.*Install Node\\.js 24`));
    });

    it('past the per-address budget: 429 with Retry-After (bounds from limits.agentInstall)', async () => {
      const first = await fetch(`${s.url}/api/agent/node?${own}`);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('content-type'), 'application/octet-stream');
      await first.body?.cancel();
      const second = await http(s.url, `/api/agent/node?${own}`);
      assert.equal(second.status, 429);
      assert.equal(second.headers.get('retry-after'), '60');
    });
  });

  it('refuses more runtime downloads at once than maxRuntimeDownloads (503, Retry-After)', async () => {
    const t = await startTestServer({ limits: { agentInstall: { maxRuntimeDownloads: 1 } } });
    try {
      const first = await fetch(`${t.url}/api/agent/node?${own}`);
      assert.equal(first.status, 200);
      const second = await http(t.url, `/api/agent/node?${own}`);
      assert.equal(second.status, 503);
      assert.ok(second.headers.get('retry-after'));
      await first.body?.cancel();
    } finally {
      await t.dispose();
    }
  });

  describe('install.sh refuses what would not be one safe word in the unit, and writes nothing', () => {
    const pwned = join(work, 'pwned');
    const cases: Array<[string, string[], RegExp]> = [
      ['$( ) in the endpoint', ['-e', `http://127.0.0.1/$(touch ${pwned})`, '-t', 'tok'], /endpoint.*no shell metacharacters/],
      ['backquotes in the endpoint', ['-e', `http://a\`touch ${pwned}\``, '-t', 'tok'], /endpoint/],
      ['; in the endpoint', ['-e', `http://a;touch ${pwned}`, '-t', 'tok'], /endpoint/],
      ['a quote in the endpoint', ['-e', `http://a';touch ${pwned};'`, '-t', 'tok'], /endpoint/],
      ['a space in the endpoint', ['-e', 'http://a b', '-t', 'tok'], /endpoint/],
      ['a newline in the endpoint', ['-e', `http://a\nExecStartPre=/bin/touch ${pwned}`, '-t', 'tok'], /endpoint/],
      ['a systemd specifier in the endpoint', ['-e', 'http://a/%h', '-t', 'tok'], /endpoint/],
      ['$VAR in the endpoint', ['-e', 'http://a/$HOME', '-t', 'tok'], /endpoint/],
      ['not http(s)', ['-e', 'file:///etc/passwd', '-t', 'tok'], /http:\/\/ or https:\/\//],
      ['$( ) in the token', ['-e', 'http://a', '-t', `x$(touch ${pwned})`], /token/],
      ['a newline in the key', ['-e', 'http://a', '--auto-discovery', `k\nExecStartPre=/bin/touch ${pwned}`], /auto-discovery/],
      ['$( ) in an agent flag', ['-e', 'http://a', '-t', 'tok', `--custom-dns=$(touch ${pwned})`], /agent argument/],
      ['no endpoint', ['-t', 'tok'], /endpoint is required/],
      ['no token nor key', ['-e', 'http://a'], /--token or --auto-discovery is required/],
      ['a relative --dir', ['-e', 'http://a', '-t', 'tok', '--dir', 'opt/x'], /--dir/],
      ['.. in --dir', ['-e', 'http://a', '-t', 'tok', '--dir', '/opt/../etc'], /--dir/],
      ['--dir /', ['-e', 'http://a', '-t', 'tok', '--dir', '/'], /--dir/],
      ['an unknown --init', ['-e', 'http://a', '-t', 'tok', '--init', 'upstart'], /--init/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const root = mkdtempSync(join(work, 'root-'));
        const quoted = args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
        const done = await runLine(`sh ${script} ${quoted} --root ${root}`, { PATH: hostPath(thisNodeBin) });
        assert.equal(done.code, 1, done.stderr);
        assert.match(done.stderr, message);
        assert.equal(existsSync(pwned), false, 'nothing ran');
        assert.deepEqual(filesUnder(root), [], 'nothing written');
      });
    }
  });

  it('a private site keeps the install downloads open to a new host (it has no session), and nothing else', async () => {
    const cookie = await s.login();
    const set = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: true } });
    assert.equal(set.status, 200, set.text);
    try {
      assert.equal((await http(s.url, '/api/agent/install.sh')).status, 200);
      assert.equal((await http(s.url, '/api/agent/node?os=linux&arch=../../etc')).status, 400);
      assert.equal((await http(s.url, '/api/nodes')).status, 401);
      assert.equal((await http(s.url, '/api/agent/other')).status, 401, 'only the three routes open, not a prefix');
    } finally {
      await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: false } });
    }
  });

  it('a host of an architecture the server has no runtime for, without Node 24: a clear message naming it', async () => {
    const root = mkdtempSync(join(work, 'root-'));
    const machine = process.arch === 'arm64' ? 'riscv64' : 'aarch64';
    const named = process.arch === 'arm64' ? 'riscv64' : 'arm64';
    const path = `${fakeUname(work, machine)}:${hostPath(fakeOldNode(work))}`;
    const done = await runLine(`sh ${script} -e ${s.url} -t tok --root ${root}`, { PATH: path });
    assert.equal(done.code, 1, done.stderr);
    assert.match(done.stderr, new RegExp(`could not get a Node\\.js runtime for linux/${named} from the server \\(the server says: This server has no Node\\.js runtime for linux/${named}`));
    assert.match(done.stderr, /Install Node\.js 24 or later on this host/);
    assert.equal(existsSync(join(root, 'opt/komari-agent/node')), false);
    assert.equal(existsSync(join(root, 'etc/systemd/system/komari-agent.service')), false, 'no unit for an agent that cannot run');
  });

  it('--uninstall leaves a directory it did not make (no marker) in place', async () => {
    const root = mkdtempSync(join(work, 'root-'));
    mkdirSync(join(root, 'opt/komari-agent'), { recursive: true });
    writeFileSync(join(root, 'opt/komari-agent/keep.txt'), 'mine');
    const done = await runLine(`sh ${script} --uninstall --root ${root}`, { PATH: hostPath(thisNodeBin) });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stderr, /not made by this installer/);
    assert.deepEqual(filesUnder(root), ['opt/komari-agent/keep.txt']);
  });
});
