import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The GPU name(s) for basic info, from /sys/class/drm/card<N>/device, `None` when there is none.
 * The official agent asks `lspci`; we spawn nothing. PCI vendor/device ids are named from the
 * system's pci.ids (what lspci reads) when present: "NVIDIA Corporation GA102 [GeForce RTX 3090]";
 * otherwise a short "NVIDIA GPU [10de:2204]". Virtual display adapters (virtio, QXL, VMware SVGA,
 * Cirrus, Bochs, Hyper-V, VirtualBox) and firmware framebuffers are not GPUs and are skipped.
 */
const VIRTUAL_DRIVERS = new Set([
  'virtio-pci', 'virtio_gpu', 'bochs', 'bochs-drm', 'qxl', 'vmwgfx', 'cirrus', 'cirrus-qemu',
  'vboxvideo', 'hyperv_fb', 'hyperv_drm', 'simpledrm', 'simplefb', 'efifb', 'vkms',
]);
const VIRTUAL_VENDORS = new Set(['1af4', '1234', '15ad', '1b36', '1013', '1414', '80ee']);

const VENDOR_NAMES: Record<string, string> = {
  '10de': 'NVIDIA', '1002': 'AMD', '8086': 'Intel', '1a03': 'ASPEED', '102b': 'Matrox',
  '5143': 'Qualcomm', '1ed5': 'Moore Threads', '0731': 'Jingjia Micro', '1d17': 'Zhaoxin',
};

/** SoC GPUs without PCI ids, named by their DRM driver. */
const DRIVER_NAMES: Record<string, string> = {
  vc4: 'Broadcom VideoCore', 'vc4-drm': 'Broadcom VideoCore', v3d: 'Broadcom V3D',
  msm: 'Qualcomm Adreno', msm_drm: 'Qualcomm Adreno', panfrost: 'ARM Mali (Panfrost)',
  lima: 'ARM Mali (Lima)', panthor: 'ARM Mali (Panthor)', 'sun4i-drm': 'Allwinner Display Engine',
  tegra: 'NVIDIA Tegra', rockchip: 'Rockchip VOP', etnaviv: 'Vivante GPU', imx: 'NXP i.MX Display',
};

export const PCI_IDS_PATHS = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids', '/usr/share/pci.ids'];

const readTrim = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

/** `0x10de` → `10de` */
const pciId = (raw: string) => raw.replace(/^0x/i, '').toLowerCase();

/** Vendor and device names from pci.ids text: `10de  NVIDIA Corporation` then `\t2204  GA102 [...]`. */
export function lookupPciIds(text: string, vendor: string, device: string): string | undefined {
  const v = text.indexOf(`\n${vendor}  `);
  if (v === -1) return undefined;
  const lineEnd = text.indexOf('\n', v + 1);
  const vendorName = text.slice(v + vendor.length + 3, lineEnd).trim();
  const next = /\n[0-9a-f]{4} {2}/g;
  next.lastIndex = lineEnd;
  const blockEnd = next.exec(text)?.index ?? text.length;
  const d = text.indexOf(`\n\t${device}  `, lineEnd);
  if (d === -1 || d > blockEnd) return vendorName;
  const deviceName = text.slice(d + device.length + 4, text.indexOf('\n', d + 1)).trim();
  return `${vendorName} ${deviceName}`;
}

interface Card {
  driver: string;
  vendor: string;
  device: string;
}

function readCard(dir: string): Card {
  let driver = '';
  try {
    driver = basename(readlinkSync(`${dir}/device/driver`));
  } catch {
    // no driver bound
  }
  return { driver, vendor: pciId(readTrim(`${dir}/device/vendor`)), device: pciId(readTrim(`${dir}/device/device`)) };
}

function nameCard(card: Card, pciIds: () => string | undefined): string | undefined {
  if (VIRTUAL_DRIVERS.has(card.driver) || VIRTUAL_VENDORS.has(card.vendor)) return undefined;
  if (card.vendor) {
    const ids = pciIds();
    const named = ids ? lookupPciIds(ids, card.vendor, card.device) : undefined;
    return named ?? `${VENDOR_NAMES[card.vendor] ?? 'PCI'} GPU [${card.vendor}:${card.device}]`;
  }
  if (!card.driver) return undefined;
  return DRIVER_NAMES[card.driver] ?? `DRM ${card.driver}`;
}

export function detectGpuName(sysRoot: string, pciIdsPaths: readonly string[] = PCI_IDS_PATHS): string {
  let cards: string[];
  try {
    cards = readdirSync(`${sysRoot}/class/drm`).filter((n) => /^card\d+$/.test(n)).sort();
  } catch {
    return 'None';
  }
  let ids: string | undefined | null = null;
  const pciIds = () => (ids === null ? (ids = pciIdsPaths.map(readTrim).find(Boolean)) : ids);
  const names = new Set<string>();
  for (const c of cards) {
    const name = nameCard(readCard(`${sysRoot}/class/drm/${c}`), pciIds);
    if (name) names.add(name);
  }
  return names.size > 0 ? [...names].join(', ') : 'None';
}
