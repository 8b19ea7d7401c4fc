import { existsSync, readFileSync } from 'node:fs';
import { under } from './options.ts';

/**
 * Best-effort virtualization in systemd-detect-virt's vocabulary, from files only (the official
 * agent runs `systemd-detect-virt`; we spawn nothing). As systemd does, a container is reported
 * before the VM it runs in: docker inside a KVM guest is `docker`. `none` when nothing is found.
 */
export interface VirtRoots {
  procRoot: string;
  sysRoot: string;
  rootDir: string;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** `container=` of PID 1's environment (readable by root only). */
function pid1Container(procRoot: string): string | undefined {
  const env = read(`${procRoot}/1/environ`);
  const entry = env?.split('\0').find((e) => e.startsWith('container='));
  return entry?.slice('container='.length) || undefined;
}

/** Container managers, in systemd's order, then PID 1's cgroup path as a last hint. */
export function detectContainer(r: VirtRoots): string | undefined {
  if (existsSync(`${r.procRoot}/vz`) && !existsSync(`${r.procRoot}/bc`)) return 'openvz';
  const kernel = read(`${r.procRoot}/sys/kernel/osrelease`) ?? '';
  if (/microsoft|wsl/i.test(kernel)) return 'wsl';
  const named = read(under(r.rootDir, '/run/host/container-manager')) || read(under(r.rootDir, '/run/systemd/container')) || pid1Container(r.procRoot);
  if (named) return named === 'oci' ? 'docker' : named;
  if (existsSync(under(r.rootDir, '/run/.containerenv'))) return 'podman';
  if (existsSync(under(r.rootDir, '/.dockerenv'))) return 'docker';
  const cgroup = read(`${r.procRoot}/1/cgroup`) ?? '';
  if (/\/(docker|containerd)[-/]/.test(cgroup)) return 'docker';
  if (/libpod/.test(cgroup)) return 'podman';
  if (/\/lxc[./]|lxc\.payload/.test(cgroup)) return 'lxc';
  return undefined;
}

/** DMI vendor strings → systemd names (prefix match on sys_vendor, product_name, board_vendor, bios_vendor). */
const DMI_VENDORS: ReadonlyArray<readonly [string, string]> = [
  ['KVM', 'kvm'], ['OpenStack', 'kvm'], ['KubeVirt', 'kvm'], ['Amazon EC2', 'amazon'], ['QEMU', 'qemu'],
  ['VMware', 'vmware'], ['VMW', 'vmware'], ['innotek GmbH', 'oracle'], ['VirtualBox', 'oracle'],
  ['Oracle Corporation', 'oracle'], ['Xen', 'xen'], ['Bochs', 'bochs'], ['Parallels', 'parallels'],
  ['BHYVE', 'bhyve'], ['Hyper-V', 'microsoft'], ['Apple Virtualization', 'apple'], ['Google Compute Engine', 'google'],
];

function fromDmi(sysRoot: string): string | undefined {
  const dmi = `${sysRoot}/class/dmi/id`;
  const values = ['sys_vendor', 'product_name', 'board_vendor', 'bios_vendor'].map((f) => read(`${dmi}/${f}`) ?? '');
  for (const v of values) {
    const hit = DMI_VENDORS.find(([prefix]) => v.startsWith(prefix));
    if (hit) return hit[1];
  }
  if (values[0] === 'Microsoft Corporation' && values[1] === 'Virtual Machine') return 'microsoft';
  return undefined;
}

/** Paravirtual clocks name their hypervisor: what systemd learns from CPUID, which Node cannot run. */
function fromClocksource(sysRoot: string): string | undefined {
  const clocks = read(`${sysRoot}/devices/system/clocksource/clocksource0/available_clocksource`) ?? '';
  if (/\bkvm-clock\b/.test(clocks)) return 'kvm';
  if (/\bhyperv_clocksource/.test(clocks)) return 'microsoft';
  if (/\bxen\b/.test(clocks)) return 'xen';
  return undefined;
}

export function detectVm(r: VirtRoots): string | undefined {
  const dmi = fromDmi(r.sysRoot);
  const clock = fromClocksource(r.sysRoot);
  // QEMU with KVM acceleration is reported as kvm by systemd (CPUID wins over DMI)
  if (dmi) return dmi === 'qemu' && clock === 'kvm' ? 'kvm' : dmi;
  if (read(`${r.sysRoot}/hypervisor/type`) === 'xen' || existsSync(`${r.procRoot}/xen`)) return 'xen';
  const dt = read(`${r.procRoot}/device-tree/hypervisor/compatible`) ?? '';
  if (dt.includes('linux,kvm')) return 'kvm';
  if (dt.includes('xen')) return 'xen';
  if (dt.includes('vmware')) return 'vmware';
  if (clock) return clock;
  const cpuinfo = read(`${r.procRoot}/cpuinfo`) ?? '';
  return /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo) ? 'vm-other' : undefined;
}

export function detectVirtualization(r: VirtRoots): string {
  return detectContainer(r) ?? detectVm(r) ?? 'none';
}
