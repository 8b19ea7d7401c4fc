import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { icmpHost, parsePingTime } from '../src/tasks/icmp.ts';
import { freePort } from '../../server/test/helpers/cli.ts';
import { runPing, withHighLatencyRule } from '../src/tasks/ping.ts';
import { httpProbeUrl, splitHostPort } from '../src/tasks/targets.ts';

function hasPing(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v ping'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ping tasks against real sockets', () => {
  let tcp: ReturnType<typeof createServer>;
  let web: Server;
  let tcpPort = 0;
  let webPort = 0;

  before(async () => {
    tcp = createServer((sock) => sock.destroy());
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    tcpPort = (tcp.address() as AddressInfo).port;
    web = createHttpServer((req, res) => {
      res.statusCode = req.url === '/fail' ? 500 : req.url === '/moved' ? 302 : 200;
      res.end('ok');
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webPort = (web.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((r) => tcp.close(r));
    await new Promise((r) => web.close(r));
  });

  it('tcp: connect time to a listening socket is a small number of ms', async () => {
    const { value: ms, error } = await runPing('tcp', `127.0.0.1:${tcpPort}`);
    assert.equal(error, undefined);
    assert.ok(ms >= 0 && ms < 200, `got ${ms}`);
    assert.ok(Number.isInteger(ms));
  });

  it('tcp: a closed port is a loss, -1 with no probe error (the probe ran)', async () => {
    assert.deepEqual(await runPing('tcp', `127.0.0.1:${await freePort()}`), { value: -1 });
  });

  it('tcp: a name that does not resolve is -1 with probe error resolve_failed', async () => {
    const r = await runPing('tcp', 'no-such-host.invalid:80');
    assert.equal(r.value, -1);
    assert.equal(r.error?.code, 'resolve_failed');
    assert.match(r.error?.message ?? '', /^cannot resolve no-such-host\.invalid \(/);
  });

  it('tcp: a port out of range is -1 with probe error invalid_target', async () => {
    assert.deepEqual(await runPing('tcp', '127.0.0.1:70000'), { value: -1, error: { code: 'invalid_target', message: 'port 70000 is not 1-65535' } });
  });

  it('http: 200 and 302 give ms, 500 gives -1, http:// is prepended when missing', async () => {
    const ok = (await runPing('http', `http://127.0.0.1:${webPort}/`)).value;
    assert.ok(ok >= 0 && ok < 500, `got ${ok}`);
    assert.ok((await runPing('http', `127.0.0.1:${webPort}/moved`)).value >= 0);
    // a 500 and a refused connect are losses, not probe errors
    assert.deepEqual(await runPing('http', `http://127.0.0.1:${webPort}/fail`), { value: -1 });
    assert.deepEqual(await runPing('http', `http://127.0.0.1:${await freePort()}/`), { value: -1 });
    assert.equal((await runPing('http', 'http://[::1')).error?.code, 'invalid_target');
  });

  it('icmp: 127.0.0.1 answers with a small number of ms through the system ping', async (t) => {
    if (!hasPing()) {
      t.skip('no `ping` binary on this machine (Debian: apt-get install iputils-ping): the icmp case is skipped');
      return;
    }
    const { value: ms, error } = await runPing('icmp', '127.0.0.1');
    assert.equal(error, undefined);
    assert.ok(ms >= 0 && ms < 200, `got ${ms}`);
    assert.ok((await runPing('icmp', '[127.0.0.1]:443')).value >= 0, 'port and brackets are stripped');
  });

  it('icmp without a ping binary is -1 with probe error no_ping_binary, logged once', async () => {
    const path = process.env.PATH;
    const logs: string[] = [];
    process.env.PATH = '/nonexistent';
    try {
      for (let i = 0; i < 2; i++) {
        const r = await runPing('icmp', '127.0.0.1', { log: (m) => logs.push(m) });
        assert.equal(r.value, -1);
        assert.equal(r.error?.code, 'no_ping_binary');
        assert.match(r.error?.message ?? '', /^no `ping` program on this host/);
      }
    } finally {
      process.env.PATH = path;
    }
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /no `ping` binary/);
  });

  it('an unknown type is -1 with probe error unsupported', async () => {
    const r = await runPing('udp', `127.0.0.1:${tcpPort}`);
    assert.equal(r.value, -1);
    assert.equal(r.error?.code, 'unsupported');
  });
});

describe('ping helpers', () => {
  it('splits targets like Go net.SplitHostPort', () => {
    assert.deepEqual(splitHostPort('1.1.1.1:443'), { host: '1.1.1.1', port: '443' });
    assert.deepEqual(splitHostPort('[::1]:22'), { host: '::1', port: '22' });
    assert.equal(splitHostPort('example.com'), undefined);
    assert.equal(splitHostPort('::1'), undefined);
    assert.equal(icmpHost('[2001:db8::1]:80'), '2001:db8::1');
    assert.equal(icmpHost('example.com:80'), 'example.com');
  });

  it('builds http probe URLs', () => {
    assert.equal(httpProbeUrl('example.com/x'), 'http://example.com/x');
    assert.equal(httpProbeUrl('https://example.com'), 'https://example.com');
    assert.equal(httpProbeUrl('2001:db8::1'), 'http://[2001:db8::1]');
  });

  it('parses ping output', () => {
    assert.equal(parsePingTime('64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=12.9 ms'), 12);
    assert.equal(parsePingTime('64 bytes from ::1: seq=0 ttl=64 time=0.061 ms'), 0);
    assert.equal(parsePingTime('1 packets transmitted, 0 received'), undefined);
  });
});

describe('high-latency rule', () => {
  const series = (values: number[]) => {
    const calls: number[] = [];
    return { calls, measure: async () => { const v = values[calls.length] ?? -1; calls.push(v); return v; } };
  };

  it('keeps a first sample at or under 1000 ms', async () => {
    const s = series([1000]);
    assert.equal(await withHighLatencyRule('icmp', s.measure), 1000);
    assert.equal(s.calls.length, 1);
  });

  it('uses the first re-measure at or under 1000 ms', async () => {
    const s = series([1500, 1200, 900, 10]);
    assert.equal(await withHighLatencyRule('icmp', s.measure), 900);
    assert.equal(s.calls.length, 3);
  });

  it('fails after 3 re-measures that stay high, or a failed re-measure', async () => {
    assert.equal(await withHighLatencyRule('http', series([1500, 1100, 1200, 1300, 5]).measure), -1);
    assert.equal(await withHighLatencyRule('http', series([1500, -1, 5]).measure), -1);
  });

  it('tcp: a drop of more than 800 ms is a retransmission and a failure', async () => {
    assert.equal(await withHighLatencyRule('tcp', series([1900, 50]).measure), -1);
    assert.equal(await withHighLatencyRule('tcp', series([1200, 900]).measure), 900);
    assert.equal(await withHighLatencyRule('icmp', series([1900, 50]).measure), 50);
  });
});
