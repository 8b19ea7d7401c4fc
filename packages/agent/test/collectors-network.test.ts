import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLinuxCollector } from '../src/collectors/index.ts';
import { compileNicFilter } from '../src/collectors/nic-filter.ts';
import { NetworkTraffic } from '../src/collectors/network.ts';
import { ProcReader } from '../src/collectors/read.ts';

/** A fake /proc holding only net/dev, rewritten with each interface's [rx, tx] bytes. */
function fakeProc() {
  const root = mkdtempSync(join(tmpdir(), 'komari-netdev-'));
  mkdirSync(join(root, 'net'));
  const write = (nics: Record<string, [number, number]>) => {
    const head = 'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
    const lines = Object.entries(nics).map(([n, [rx, tx]]) => `${n.padStart(6)}: ${rx} 10 0 0 0 0 0 0 ${tx} 10 0 0 0 0 0 0`);
    writeFileSync(join(root, 'net/dev'), head + lines.join('\n') + '\n');
  };
  return { root, write, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

function fakeClock(start: Date) {
  let t = start.getTime();
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (d: Date) => void (t = d.getTime()) };
}

const filterOf = (include: string[] = [], exclude: string[] = []) => compileNicFilter(include, exclude);

describe('which NICs count', () => {
  it('virtual prefixes never count through a pattern; include and exclude take names and globs', () => {
    const all = ['eth0', 'ens3', 'wlan0', 'lo', 'docker0', 'veth12ab', 'br-1f', 'virbr0', 'vmbr0', 'tap0', 'cni0', 'flannel.1', 'podman0', 'fwbr100i0', 'fwpr100p0', 'wg0'];
    const pick = (f: (n: string) => boolean) => all.filter((n) => f(n));
    assert.deepEqual(pick(filterOf()), ['eth0', 'ens3', 'wlan0', 'wg0']);
    assert.deepEqual(pick(filterOf(['e*'])), ['eth0', 'ens3']);
    assert.deepEqual(pick(filterOf(['*'])), ['eth0', 'ens3', 'wlan0', 'wg0']);
    assert.deepEqual(pick(filterOf([], ['wg?', 'wlan0'])), ['eth0', 'ens3']);
    // the include list wins over the exclude list, as in the official agent
    assert.deepEqual(pick(filterOf(['eth0'], ['eth0'])), ['eth0']);
  });

  it('an include entry naming a virtual interface exactly counts it', () => {
    assert.deepEqual(['lo', 'eth0', 'br0'].filter(filterOf(['lo', 'br0'])), ['lo', 'br0']);
  });
});

describe('network speed and totals from a fake /proc/net/dev', () => {
  const p = fakeProc();
  after(p.dispose);
  const reader = new ProcReader();
  const setup = (clock: { now(): number }, monthRotate = 0, uptime = 1e6, include: string[] = []) =>
    new NetworkTraffic(reader, { procRoot: p.root, filter: filterOf(include), monthRotate, clock, uptime: () => uptime });

  it('rates are bytes per second since the previous call, totals the counted NICs since boot', () => {
    const clock = fakeClock(new Date(2026, 4, 10));
    p.write({ lo: [5000, 5000], eth0: [1000, 500], docker0: [9000, 9000] });
    const net = setup(clock);
    clock.advance(2000);
    p.write({ lo: [9000, 9000], eth0: [5000, 2500], docker0: [99000, 99000] });
    assert.deepEqual(net.sample(), { up: 1000, down: 2000, totalUp: 2500, totalDown: 5000 });
  });

  it('a NIC that vanishes or whose counters restart never gives a negative rate', () => {
    const clock = fakeClock(new Date(2026, 4, 10));
    p.write({ eth0: [1000, 1000], ppp0: [800, 800] });
    const net = setup(clock);
    clock.advance(1000);
    p.write({ eth0: [1500, 1200] });
    assert.deepEqual(net.sample(), { up: 200, down: 500, totalUp: 1200, totalDown: 1500 });
    clock.advance(1000);
    p.write({ eth0: [100, 50], ppp0: [300, 300] }); // eth0 reset; ppp0 back: neither is negative
    const s = net.sample();
    assert.deepEqual([s.up, s.down], [50, 100]);
  });

  it('--month-rotate: a host booted before the reset day counts from the agent start, and resets on day N', () => {
    const clock = fakeClock(new Date(2026, 4, 20, 12));
    p.write({ eth0: [1_000_000, 500_000] });
    const net = setup(clock, 15, 30 * 86400); // booted 30 days ago, before May 15
    clock.advance(1000);
    p.write({ eth0: [1_000_400, 500_100] });
    assert.deepEqual(net.sample(), { up: 100, down: 400, totalUp: 100, totalDown: 400 });
    clock.set(new Date(2026, 5, 14, 23, 59, 59));
    p.write({ eth0: [1_009_400, 501_100] });
    assert.deepEqual([net.sample().totalDown], [9400]);
    clock.set(new Date(2026, 5, 15, 0, 0, 1)); // June 15: a new period; this tick's bytes belong to it
    p.write({ eth0: [1_009_600, 501_200] });
    const s = net.sample();
    assert.deepEqual([s.totalDown, s.totalUp], [200, 100]);
  });

  it('--month-rotate: a host booted after the reset counts its kernel counters in full, and NICs that appear later in full', () => {
    const clock = fakeClock(new Date(2026, 4, 20, 12));
    p.write({ eth0: [7000, 3000] });
    const net = setup(clock, 15, 86400); // booted yesterday, after May 15
    clock.advance(1000);
    p.write({ eth0: [7100, 3000], wg0: [50, 60] });
    assert.deepEqual(net.sample(), { up: 0, down: 100, totalUp: 3060, totalDown: 7150 });
  });

  it('--month-rotate across the year end and restart of the agent: the in-memory baseline starts again', () => {
    const clock = fakeClock(new Date(2027, 0, 3, 8));
    p.write({ eth0: [10_000, 10_000] });
    const first = setup(clock, 20, 60 * 86400);
    clock.advance(1000);
    p.write({ eth0: [10_500, 10_000] });
    assert.equal(first.sample().totalDown, 500);
    const restarted = setup(clock, 20, 60 * 86400);
    clock.advance(1000);
    p.write({ eth0: [10_600, 10_000] });
    assert.equal(restarted.sample().totalDown, 100);
  });
});

/** The interface of the default route, and its gateway, from /proc/net/route. */
function defaultRoute(): { nic: string; gateway: string } | undefined {
  const rows = readFileSync('/proc/net/route', 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  const row = rows.find((r) => r[1] === '00000000' && r[2] && r[2] !== '00000000');
  if (!row?.[0] || !row[2]) return undefined;
  const hex = row[2];
  const gateway = [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
  return { nic: row[0], gateway };
}

async function sendUdp(host: string, bytes: number): Promise<void> {
  const sock = createSocket('udp4');
  const payload = Buffer.alloc(1000);
  for (let sent = 0; sent < bytes; sent += payload.length) {
    await new Promise<void>((resolve, reject) => sock.send(payload, 9, host, (err) => (err ? reject(err) : resolve())));
  }
  await new Promise<void>((resolve) => sock.close(() => resolve()));
}

describe('network on this host', () => {
  it('totals rise when the test moves bytes over a counted NIC, and rates are non-negative', async (t) => {
    const route = defaultRoute();
    const counted = route && filterOf()(route.nic);
    // Datagrams to the gateway's discard port leave through the default route's NIC. Without a
    // counted NIC, the loopback is named in --include-nics and the bytes go to 127.0.0.1.
    const target = counted ? route.gateway : '127.0.0.1';
    const collector = createLinuxCollector(counted ? {} : { includeNics: 'lo' });
    t.diagnostic(counted ? `UDP to gateway ${route.gateway} over ${route.nic}` : 'no counted NIC with a default route: includeNics lo, UDP to 127.0.0.1');
    const before = (await collector.report()).network;
    await sendUdp(target, 200_000);
    await new Promise((r) => setTimeout(r, 200));
    const after = (await collector.report()).network;
    t.diagnostic(`totalUp +${after.totalUp - before.totalUp} B, up ${after.up} B/s, down ${after.down} B/s`);
    assert.ok(after.totalUp - before.totalUp >= 200_000, `totalUp rose by ${after.totalUp - before.totalUp}`);
    assert.ok(after.up > 0 && after.down >= 0 && before.up >= 0 && before.down >= 0);
    assert.ok(after.totalDown >= before.totalDown);
  });
});
