/**
 * Which mounts count toward disk used/total. The official agent (`monitoring/unit/disk.go`) lists
 * partitions with gopsutil (pseudo filesystems, those marked `nodev` in /proc/filesystems, left
 * out), then drops temporary, container and network mounts; `/` always counts. We apply the same
 * rules, with one deliberate difference: `/` counts even when it is a nodev filesystem, such as
 * the overlay root of a container, whose size is then the size of the backing disk.
 */
export interface MountEntry {
  device: string;
  mountpoint: string;
  fstype: string;
}

/** Mountpoints (and everything under them) never counted, as in the official agent. */
const EXCLUDED_MOUNTPOINTS = [
  '/tmp', '/var/tmp', '/dev/shm', '/run', '/var/lib/containers', '/var/lib/docker', '/proc',
  '/dev/pts', '/sys', '/dev/mqueue', '/etc/resolv.conf', '/etc/host', '/dev/hugepages',
];

/** Filesystem types never counted (prefix match: `fuse` covers `fuse.sshfs`, `nfs` covers `nfs4`). */
const EXCLUDED_FSTYPES = [
  'tmpfs', 'devtmpfs', 'nfs', 'cifs', 'smb', 'vboxsf', '9p', 'fuse', 'overlay', 'proc', 'devpts',
  'sysfs', 'cgroup', 'mqueue', 'hugetlbfs', 'autofs', 'squashfs', 'ramfs', 'rpc_pipefs', 'nsfs',
  'binfmt_misc', 'debugfs', 'tracefs', 'securityfs', 'pstore', 'bpf', 'configfs', 'efivarfs',
  'selinuxfs', 'ceph', 'glusterfs',
];

/** `\040` and friends in a mounts table are octal escapes of space, tab, newline and backslash. */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));

export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mountpoint, fstype] = line.split(' ', 3);
    if (!device || !mountpoint || !fstype) continue;
    out.push({ device: unescape(device), mountpoint: unescape(mountpoint), fstype });
  }
  return out;
}

/** The `nodev` (pseudo) filesystem types of /proc/filesystems; zfs is one but holds real data. */
export function parseNodevFilesystems(text: string): Set<string> {
  const set = new Set<string>();
  for (const line of text.split('\n')) {
    const [flag, name] = line.split('\t');
    if (flag === 'nodev' && name && name !== 'zfs') set.add(name.trim());
  }
  return set;
}

const underAny = (path: string, prefixes: readonly string[]) => prefixes.some((p) => path.startsWith(p));

export function isCountedMount(m: MountEntry, nodev: ReadonlySet<string>): boolean {
  if (m.mountpoint === '/') return true;
  if (underAny(m.mountpoint.toLowerCase(), EXCLUDED_MOUNTPOINTS)) return false;
  const fstype = m.fstype.toLowerCase();
  if (nodev.has(fstype) || underAny(fstype, EXCLUDED_FSTYPES)) return false;
  return m.device !== 'none' && !m.device.startsWith('/dev/loop');
}

/**
 * The key under which mounts of one filesystem are counted once: the device (bind mounts and
 * btrfs subvolumes share it), or for zfs the pool (`pool/dataset` → `pool`).
 */
export function deviceKey(m: MountEntry): string {
  if (m.fstype.toLowerCase() === 'zfs') {
    const slash = m.device.indexOf('/');
    return slash === -1 ? m.device : m.device.slice(0, slash);
  }
  return m.device;
}
