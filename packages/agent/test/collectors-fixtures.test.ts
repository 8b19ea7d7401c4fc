import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { reportSchema, verifyReport } from '@komari-ts/protocol';
import { physicalFromTopology, readCpuInfo } from '../src/collectors/cpu-info.ts';
import { DiskUsage } from '../src/collectors/disk.ts';
import { detectGpuName, lookupPciIds } from '../src/collectors/gpu.ts';
import { createLinuxCollector } from '../src/collectors/index.ts';
import { systemClock } from '../src/collectors/options.ts';
import { ProcReader } from '../src/collectors/read.ts';
import { detectVirtualization } from '../src/collectors/virtualization.ts';

/** Temp directories laid out as a fake root, /proc and /sys, for what this host does not have. */
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'komari-fixture-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const virt = (files: Record<string, string>) => {
  const root = fakeRoot(files);
  return detectVirtualization({ procRoot: `${root}/proc`, sysRoot: `${root}/sys`, rootDir: root });
};

describe('virtualization, in systemd-detect-virt words', () => {
  it('names container managers before the VM they run in', () => {
    const kvmGuest = { 'sys/class/dmi/id/sys_vendor': 'QEMU\n', 'sys/devices/system/clocksource/clocksource0/available_clocksource': 'kvm-clock tsc\n' };
    assert.equal(virt({ ...kvmGuest, '.dockerenv': '' }), 'docker');
    assert.equal(virt({ ...kvmGuest, 'run/.containerenv': '' }), 'podman');
    assert.equal(virt({ ...kvmGuest, 'run/systemd/container': 'lxc\n' }), 'lxc');
    assert.equal(virt({ 'proc/1/environ': 'PATH=/bin\0container=systemd-nspawn\0' }), 'systemd-nspawn');
    assert.equal(virt({ 'proc/1/cgroup': '0::/lxc.payload.ct101/init.scope\n' }), 'lxc');
    assert.equal(virt({ 'proc/vz/veinfo': '' }), 'openvz');
    assert.equal(virt({ 'proc/sys/kernel/osrelease': '5.15.153.1-microsoft-standard-WSL2\n' }), 'wsl');
  });

  it('names the hypervisor from DMI, then paravirtual clocks, then the cpuinfo hypervisor flag', () => {
    assert.equal(virt({ 'sys/class/dmi/id/sys_vendor': 'QEMU\n' }), 'qemu');
    assert.equal(virt({ 'sys/class/dmi/id/sys_vendor': 'QEMU\n', 'sys/devices/system/clocksource/clocksource0/available_clocksource': 'kvm-clock tsc\n' }), 'kvm');
    assert.equal(virt({ 'sys/class/dmi/id/sys_vendor': 'VMware, Inc.\n' }), 'vmware');
    assert.equal(virt({ 'sys/class/dmi/id/product_name': 'VirtualBox\n' }), 'oracle');
    assert.equal(virt({ 'sys/class/dmi/id/sys_vendor': 'Microsoft Corporation\n', 'sys/class/dmi/id/product_name': 'Virtual Machine\n' }), 'microsoft');
    assert.equal(virt({ 'sys/hypervisor/type': 'xen\n' }), 'xen');
    assert.equal(virt({ 'sys/devices/system/clocksource/clocksource0/available_clocksource': 'kvm-clock tsc\n' }), 'kvm');
    assert.equal(virt({ 'proc/cpuinfo': 'processor\t: 0\nflags\t\t: fpu vme hypervisor lm\n' }), 'vm-other');
    assert.equal(virt({ 'proc/cpuinfo': 'processor\t: 0\nflags\t\t: fpu vme lm\n', 'sys/class/dmi/id/sys_vendor': 'Dell Inc.\n' }), 'none');
  });
});

describe('GPU name from /sys/class/drm', () => {
  const PCI_IDS = '# pci.ids\n10de  NVIDIA Corporation\n\t1eb8  TU104GL [Tesla T4]\n\t2204  GA102 [GeForce RTX 3090]\n\t\t10de 1454  subsystem\n1002  Advanced Micro Devices, Inc. [AMD/ATI]\n\t73bf  Navi 21\n';

  function sys(cards: Record<string, { vendor?: string; device?: string; driver: string }>): string {
    const root = fakeRoot({ 'sys/class/drm/version': 'drm 1.1.0\n', 'sys/class/drm/card0-HDMI-A-1/status': 'connected\n' });
    for (const [name, c] of Object.entries(cards)) {
      const dev = join(root, 'sys/devices', name);
      mkdirSync(join(root, 'sys/bus/pci/drivers', c.driver), { recursive: true });
      mkdirSync(dev, { recursive: true });
      if (c.vendor) writeFileSync(join(dev, 'vendor'), `${c.vendor}\n`);
      if (c.device) writeFileSync(join(dev, 'device'), `${c.device}\n`);
      symlinkSync(join(root, 'sys/bus/pci/drivers', c.driver), join(dev, 'driver'));
      mkdirSync(join(root, 'sys/class/drm', name));
      symlinkSync(dev, join(root, 'sys/class/drm', name, 'device'));
    }
    return join(root, 'sys');
  }

  it('names PCI GPUs from pci.ids as lspci does, and skips virtual display adapters', () => {
    const ids = fakeRoot({ 'pci.ids': PCI_IDS });
    const s = sys({ card0: { vendor: '0x1af4', device: '0x1050', driver: 'virtio-pci' }, card1: { vendor: '0x10de', device: '0x2204', driver: 'nvidia' } });
    assert.equal(detectGpuName(s, [`${ids}/missing`, `${ids}/pci.ids`]), 'NVIDIA Corporation GA102 [GeForce RTX 3090]');
    assert.equal(detectGpuName(s, []), 'NVIDIA GPU [10de:2204]');
    assert.equal(lookupPciIds(PCI_IDS, '1002', '2204'), 'Advanced Micro Devices, Inc. [AMD/ATI]');
  });

  it('names SoC GPUs by driver, joins several, and says None without a real GPU', () => {
    assert.equal(detectGpuName(sys({ card0: { driver: 'v3d' }, card1: { driver: 'vc4' } }), []), 'Broadcom V3D, Broadcom VideoCore');
    assert.equal(detectGpuName(sys({ card0: { vendor: '0x1234', device: '0x1111', driver: 'bochs-drm' } }), []), 'None');
    assert.equal(detectGpuName(join(fakeRoot({}), 'sys'), []), 'None');
  });
});

describe('CPU topology fallbacks', () => {
  it('physical cores from sysfs core_cpus_list when cpuinfo has no core ids (ARM)', () => {
    const files: Record<string, string> = { 'proc/cpuinfo': 'processor\t: 0\nModel\t: Board\n\nprocessor\t: 1\n\nprocessor\t: 2\n\nprocessor\t: 3\n' };
    ['0-1', '0-1', '2-3', '2-3'].forEach((l, i) => (files[`sys/devices/system/cpu/cpu${i}/topology/core_cpus_list`] = `${l}\n`));
    const root = fakeRoot(files);
    assert.equal(physicalFromTopology(`${root}/sys`), 2);
    assert.deepEqual(readCpuInfo(`${root}/proc`, `${root}/sys`), { model: 'Board', logical: 4, physical: 2 });
  });
});

describe('disk from a host /proc (HOST_PROC)', () => {
  it('reads PID 1\'s mount table, counts each device once and skips pseudo and vanished mounts', () => {
    const table = ['/dev/vda / ext4 rw 0 0', '/dev/vda /etc/hosts ext4 rw 0 0', 'tmpfs /tmp tmpfs rw 0 0', '/dev/vdz /gone ext4 rw 0 0'];
    const root = fakeRoot({ 'proc/1/mounts': table.join('\n') + '\n', 'proc/filesystems': 'nodev\ttmpfs\n\text4\n' });
    const disk = new DiskUsage(new ProcReader(), `${root}/proc`, [], systemClock);
    assert.deepEqual(disk.countedMounts().map((m) => m.mountpoint), ['/', '/gone']);
    const s = statfsSync('/');
    assert.equal(disk.sample().total, s.blocks * s.bsize);
  });
});

describe('a host whose /proc cannot be read', () => {
  it('still yields a valid report: zeros, and what failed in message as the official agent words it', async () => {
    const root = fakeRoot({ 'proc/loadavg': '0.10 0.20 0.30 1/10 99\n' });
    const c = createLinuxCollector({ procRoot: `${root}/proc`, sysRoot: `${root}/sys`, rootDir: root, includeMountpoints: `${root};/nonexistent` });
    const r = await c.report();
    assert.deepEqual(reportSchema.parse(r), r);
    assert.equal(verifyReport(r), undefined);
    assert.deepEqual(r.load, { load1: 0.1, load5: 0.2, load15: 0.3 });
    assert.equal(r.cpu.usage, 0.001);
    assert.ok(r.disk.total > 0, 'the include list is read with statfs, whatever /proc holds');
    for (const part of ['cpu usage', 'memory', 'network speed', 'connections', 'uptime']) {
      assert.match(r.message, new RegExp(`^failed to get ${part}: `, 'm'));
    }
    const info = await c.basicInfo();
    assert.deepEqual([info.cpu_name, info.os, info.gpu_name, info.virtualization, info.mem_total], ['Unknown', 'Linux', 'None', 'none', 0]);
  });
});
