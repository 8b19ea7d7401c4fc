import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { before, describe, it } from 'node:test';
import { reportSchema, verifyReport, type BasicInfo, type Report } from '@komari-ts/protocol';
import { countTableLines } from '../src/collectors/connections.ts';
import { DiskUsage } from '../src/collectors/disk.ts';
import { deviceKey } from '../src/collectors/mounts.ts';
import { createLinuxCollector } from '../src/collectors/index.ts';
import { systemClock } from '../src/collectors/options.ts';
import { ProcReader } from '../src/collectors/read.ts';

/** The collectors against this machine's own /proc, /sys and `df`: no mocks. */
const meminfoKb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
const procUptime = () => Number.parseFloat(readFileSync('/proc/uptime', 'utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Size and used bytes per filesystem from `df -B1`, for the given mountpoints. */
function df(mountpoints: string[]): Map<string, { source: string; size: number; used: number }> {
  const out = execFileSync('df', ['-B1', '--output=target,source,size,used', ...mountpoints], { encoding: 'utf8' });
  const rows = new Map<string, { source: string; size: number; used: number }>();
  for (const line of out.trim().split('\n').slice(1)) {
    const [used, size, source, ...target] = line.trim().split(/\s+/).reverse();
    rows.set(target.reverse().join(' '), { source: source!, size: Number(size), used: Number(used) });
  }
  return rows;
}

describe('collectors on this host', () => {
  const collector = createLinuxCollector();
  let info: BasicInfo;
  let first: Report;

  before(async () => {
    info = await collector.basicInfo();
    first = await collector.report();
  });

  it('reports are valid wire reports that Komari accepts', () => {
    assert.deepEqual(reportSchema.parse(first), first);
    assert.equal(verifyReport(first), undefined);
    assert.equal(first.message, '');
  });

  it('counts the CPUs /proc/cpuinfo lists; physical cores are known and no more than logical', () => {
    const listed = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => /^processor\s*:\s*\d+/.test(l)).length;
    assert.equal(info.cpu_cores, listed || availableParallelism());
    assert.ok(info.cpu_cores! >= availableParallelism());
    assert.ok(info.cpu_physical_cores! >= 1 && info.cpu_physical_cores! <= info.cpu_cores!);
  });

  it('memory total is MemTotal of /proc/meminfo; used lies within it', () => {
    assert.equal(first.ram.total, meminfoKb('MemTotal') * 1024);
    assert.equal(info.mem_total, first.ram.total);
    assert.ok(first.ram.used > 0 && first.ram.used <= first.ram.total);
    assert.equal(first.swap.total, meminfoKb('SwapTotal') * 1024);
  });

  it('disk total is df\'s size summed over the counted mountpoints, each filesystem once', (t) => {
    const mounts = new DiskUsage(new ProcReader(), '/proc', [], systemClock).countedMounts();
    const rows = df(mounts.map((m) => m.mountpoint));
    const perDevice = new Map<string, { size: number; used: number }>();
    for (const m of mounts) {
      const row = rows.get(m.mountpoint);
      assert.ok(row, `df lists ${m.mountpoint}`);
      const seen = perDevice.get(deviceKey(m));
      if (!seen || row.size > seen.size) perDevice.set(deviceKey(m), row);
    }
    const total = [...perDevice.values()].reduce((s, r) => s + r.size, 0);
    const used = [...perDevice.values()].reduce((s, r) => s + r.used, 0);
    t.diagnostic(`counted: ${mounts.map((m) => `${m.mountpoint} (${m.fstype})`).join(', ')}; total ${total} B`);
    assert.equal(first.disk.total, total);
    assert.equal(info.disk_total, total);
    assert.ok(Math.abs(first.disk.used - used) < 512 * 1024 * 1024, `used ${first.disk.used} vs df ${used}`);
  });

  it('uptime is the host\'s, within 2 s of /proc/uptime', async () => {
    const r = await collector.report();
    assert.ok(Math.abs(r.uptime - procUptime()) <= 2, `${r.uptime} vs ${procUptime()}`);
  });

  it('a report 1 s later has a CPU usage in [0.001, 100] and the load of /proc/loadavg', async () => {
    await sleep(1000);
    const r = await collector.report();
    assert.ok(r.cpu.usage >= 0.001 && r.cpu.usage <= 100, String(r.cpu.usage));
    const load1 = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    assert.ok(Math.abs(r.load.load1 - load1) < 0.5);
  });

  it('CPU usage rises while the test keeps a core busy', async () => {
    await collector.report();
    const until = Date.now() + 500;
    while (Date.now() < until); // one core busy for 0.5 s
    const r = await collector.report();
    const floor = (100 / info.cpu_cores!) * 0.5;
    assert.ok(r.cpu.usage >= floor, `usage ${r.cpu.usage} ≥ ${floor}`);
  });

  it('process and socket counts match /proc within the churn of a busy test run', async () => {
    const r = await collector.report();
    const pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
    assert.ok(Math.abs(r.process - pids) <= 20, `${r.process} vs ${pids}`);
    const lines = countTableLines(new ProcReader(), '/proc');
    assert.ok(Math.abs(r.connections.tcp - lines.tcp) <= 20, `tcp ${r.connections.tcp} vs ${lines.tcp} table lines`);
    assert.ok(Math.abs(r.connections.udp - lines.udp) <= 5, `udp ${r.connections.udp} vs ${lines.udp} table lines`);
  });

  it('basic info names this host as /proc and /etc do', () => {
    assert.equal(info.kernel_version, readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) assert.equal(info.os, pretty);
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    if (model) assert.equal(info.cpu_name, model.trim());
    assert.equal(info.arch, { x64: 'amd64', arm64: 'arm64' }[process.arch as string] ?? info.arch);
    for (const k of ['cpu_name', 'arch', 'os', 'gpu_name', 'virtualization', 'version'] as const) assert.ok(info[k], k);
    assert.equal(info.version, JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  });

  it('virtualization agrees with systemd-detect-virt where it is installed', (t) => {
    let expected: string;
    try {
      expected = execFileSync('systemd-detect-virt', { encoding: 'utf8' }).trim();
    } catch (err) {
      const out = (err as { stdout?: string }).stdout?.trim();
      if (!out) return t.skip('systemd-detect-virt is not installed');
      expected = out; // it exits 1 when it prints "none"
    }
    t.diagnostic(`virtualization ${info.virtualization}, systemd-detect-virt ${expected}`);
    assert.equal(info.virtualization, expected);
  });

  it('one report() costs little (printed, not asserted)', async (t) => {
    for (let i = 0; i < 50; i++) await collector.report();
    const n = 500;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await collector.report();
    const wall = (performance.now() - t0) / n;
    const cpu = process.cpuUsage(cpu0);
    t.diagnostic(`report(): ${wall.toFixed(3)} ms wall, ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms CPU per call (mean of ${n})`);
    const b0 = performance.now();
    await collector.basicInfo();
    t.diagnostic(`basicInfo(): ${(performance.now() - b0).toFixed(2)} ms`);
  });
});
