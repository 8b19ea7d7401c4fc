import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuPercent, parseCpuTimes } from '../src/collectors/cpu.ts';
import { parseCpuinfo } from '../src/collectors/cpu-info.ts';
import { fromSockstat, sockstatLine } from '../src/collectors/connections.ts';
import { parseLoadavg } from '../src/collectors/load.ts';
import { memoryFigures, parseMeminfo } from '../src/collectors/memory.ts';
import { deviceKey, isCountedMount, parseMounts, parseNodevFilesystems } from '../src/collectors/mounts.ts';
import { lastResetDate } from '../src/collectors/month-rotate.ts';
import { goArch, parseOsRelease } from '../src/collectors/os-info.ts';
import { parseUptime } from '../src/collectors/uptime.ts';

const MEMINFO = [
  'MemTotal:        1000000 kB', 'MemFree:          100000 kB', 'MemAvailable:     600000 kB',
  'Buffers:           50000 kB', 'Cached:           300000 kB', 'SReclaimable:      40000 kB',
  'SwapTotal:        200000 kB', 'SwapFree:         150000 kB', '',
].join('\n');
const KiB = 1024;

describe('memory follows the official agent rules', () => {
  const m = parseMeminfo(MEMINFO);

  it('by default used = MemTotal − MemAvailable, swap used = SwapTotal − SwapFree', () => {
    const f = memoryFigures(m, { includeCache: false, reportRawUsed: false });
    assert.deepEqual(f, { ram: { total: 1000000 * KiB, used: 400000 * KiB }, swap: { total: 200000 * KiB, used: 50000 * KiB } });
  });

  it('--memory-include-cache counts cache as used (total − free), even with --memory-exclude-bcf', () => {
    assert.equal(memoryFigures(m, { includeCache: true, reportRawUsed: false }).ram.used, 900000 * KiB);
    assert.equal(memoryFigures(m, { includeCache: true, reportRawUsed: true }).ram.used, 900000 * KiB);
  });

  it('--memory-exclude-bcf is total − free − buffers − cached, cached including SReclaimable as gopsutil has it', () => {
    assert.equal(memoryFigures(m, { includeCache: false, reportRawUsed: true }).ram.used, (1000000 - 100000 - 50000 - 340000) * KiB);
  });

  it('a kernel without MemAvailable falls back to free + cached; used never goes below 0', () => {
    const old = parseMeminfo('MemTotal: 100 kB\nMemFree: 80 kB\nCached: 30 kB\n');
    assert.equal(old.available, 110 * KiB);
    assert.equal(memoryFigures(old, { includeCache: false, reportRawUsed: false }).ram.used, 0);
    assert.throws(() => parseMeminfo('MemFree: 1 kB\n'), /MemTotal/);
  });
});

describe('cpu usage from /proc/stat', () => {
  it('leaves guest time out of the total and counts iowait as idle', () => {
    const t = parseCpuTimes('cpu  100 0 50 800 50 0 0 0 30 0\ncpu0 1 2 3 4\n');
    assert.deepEqual(t, { busy: 150, total: 1000 });
  });

  it('is the busy share between two samples, within [0, 100], 0 when no time passed', () => {
    assert.equal(cpuPercent({ busy: 100, total: 1000 }, { busy: 150, total: 1200 }), 25);
    assert.equal(cpuPercent({ busy: 100, total: 1000 }, { busy: 100, total: 1000 }), 0);
    assert.equal(cpuPercent({ busy: 100, total: 1000 }, { busy: 50, total: 1100 }), 0);
    assert.throws(() => parseCpuTimes('intr 1 2 3\n'));
  });
});

describe('/proc/cpuinfo', () => {
  const block = (p: number, phys: number, core: number) =>
    `processor\t: ${p}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6130\nphysical id\t: ${phys}\ncore id\t\t: ${core}\n\n`;

  it('counts logical CPUs and distinct (physical id, core id) pairs: 2 sockets × 2 cores × 2 threads', () => {
    const text = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => block(p, p >> 2, (p >> 1) & 1)).join('');
    assert.deepEqual(parseCpuinfo(text), { model: 'Intel(R) Xeon(R) Gold 6130', logical: 8, physical: 4 });
  });

  it('on ARM names the core from its part id, else Processor, Model or Hardware, never the numeric index', () => {
    const graviton = 'processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n\nprocessor\t: 1\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n';
    assert.deepEqual(parseCpuinfo(graviton), { model: 'Neoverse-N1', logical: 2, physical: 0 });
    const pi = 'processor\t: 0\nCPU implementer\t: 0x51\n\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n';
    assert.equal(parseCpuinfo(pi).model, 'Raspberry Pi 4 Model B Rev 1.4');
    const old = 'Processor\t: ARMv7 Processor rev 4 (v7l)\nprocessor\t: 0\nHardware\t: sun8i\n';
    assert.equal(parseCpuinfo(old).model, 'ARMv7 Processor rev 4 (v7l)');
  });

  it('says Unknown when nothing names the CPU', () => {
    assert.equal(parseCpuinfo('processor\t: 0\nBogoMIPS\t: 50.00\n').model, 'Unknown');
  });
});

describe('mount table', () => {
  const nodev = parseNodevFilesystems('nodev\tsysfs\nnodev\ttmpfs\nnodev\toverlay\n\text4\nnodev\tzfs\n');
  const table = [
    'overlay / overlay rw,relatime 0 0',
    'proc /proc proc rw 0 0',
    'tmpfs /dev/shm tmpfs rw 0 0',
    '/dev/sda1 /etc/hosts ext4 rw 0 0',
    '/dev/sdb1 /mnt/My\\040Disk ext4 rw 0 0',
    '/dev/sdb1 /srv/bind ext4 rw 0 0',
    'tank/data /tank/data zfs rw 0 0',
    'tank/home /tank/home zfs rw 0 0',
    '/dev/loop3 /snap/core/1 squashfs ro 0 0',
    'server:/export /mnt/nfs nfs4 rw 0 0',
    '/dev/sdc1 /var/lib/docker ext4 rw 0 0',
    'sshfs#x /mnt/remote fuse.sshfs rw 0 0',
  ].join('\n');

  it('counts / even as an overlay, real filesystems, zfs; not pseudo, network, loop, docker or /etc/hosts mounts', () => {
    const counted = parseMounts(table).filter((m) => isCountedMount(m, nodev)).map((m) => m.mountpoint);
    assert.deepEqual(counted, ['/', '/mnt/My Disk', '/srv/bind', '/tank/data', '/tank/home']);
  });

  it('one device counts once: bind mounts share the device, zfs datasets share the pool', () => {
    const keys = parseMounts(table).map(deviceKey);
    assert.equal(keys[4], keys[5]);
    assert.deepEqual([keys[6], keys[7]], ['tank', 'tank']);
  });
});

describe('month rotation reset date (official utils.GetLastResetDate)', () => {
  const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h);

  it('is day N of this month at local midnight once reached, else day N of the previous month', () => {
    assert.deepEqual(lastResetDate(15, at(2026, 5, 20)), new Date(2026, 4, 15));
    assert.deepEqual(lastResetDate(15, at(2026, 5, 15, 0)), new Date(2026, 4, 15));
    assert.deepEqual(lastResetDate(15, at(2026, 5, 14, 23)), new Date(2026, 3, 15));
    assert.deepEqual(lastResetDate(1, at(2026, 1, 1, 0)), new Date(2026, 0, 1));
    assert.deepEqual(lastResetDate(20, at(2026, 1, 3)), new Date(2025, 11, 20));
  });

  it('a month without day N resets on the 1st of the next month', () => {
    assert.deepEqual(lastResetDate(31, at(2026, 3, 1)), new Date(2026, 2, 1)); // Feb 31 → Mar 1
    assert.deepEqual(lastResetDate(31, at(2026, 2, 27)), new Date(2026, 0, 31));
    assert.deepEqual(lastResetDate(30, at(2026, 3, 15)), new Date(2026, 2, 1));
  });
});

describe('small /proc files', () => {
  it('loadavg, uptime (whole seconds) and sockstat parse; unreadable text throws', () => {
    assert.deepEqual(parseLoadavg('0.44 1.36 1.61 1/152 3373\n'), { load1: 0.44, load5: 1.36, load15: 1.61 });
    assert.equal(parseUptime('5696.95 8104.79\n'), 5696);
    assert.throws(() => parseLoadavg('x'));
    assert.throws(() => parseUptime(''));
  });

  it('connections from sockstat: TCP inuse + TIME_WAIT + TCP6 inuse, UDP inuse + UDP6 inuse', () => {
    const v4 = 'sockets: used 30\nTCP: inuse 11 orphan 0 tw 16 alloc 14 mem 181\nUDP: inuse 3 mem 0\nUDPLITE: inuse 9\n';
    const v6 = 'TCP6: inuse 2\nUDP6: inuse 1\nUDPLITE6: inuse 7\n';
    assert.deepEqual(fromSockstat(v4, v6), { tcp: 29, udp: 4 });
    assert.deepEqual(fromSockstat(v4, ''), { tcp: 27, udp: 3 });
    assert.deepEqual(sockstatLine(v4, 'UDPLITE'), { inuse: 9 });
    assert.throws(() => fromSockstat('', v6), /TCP/);
  });
});

describe('basic info text', () => {
  it('os-release: PRETTY_NAME unquoted, else NAME VERSION', () => {
    assert.equal(parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(parseOsRelease("NAME='Alpine Linux'\nVERSION=3.20\n"), 'Alpine Linux 3.20');
    assert.equal(parseOsRelease('# nothing\n'), undefined);
  });

  it('arch uses Go GOARCH names', () => {
    assert.equal(goArch('x64', 'LE'), 'amd64');
    assert.equal(goArch('arm64', 'LE'), 'arm64');
    assert.equal(goArch('ia32', 'LE'), '386');
    assert.equal(goArch('ppc64', 'LE'), 'ppc64le');
    assert.equal(goArch('mipsel', 'LE'), 'mipsle');
    assert.equal(goArch('s390x', 'BE'), 's390x');
  });
});
