// Number formatting shared by the dashboard, the node page and the admin panel.
const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(n: number, digits = 1): string {
  if (!Number.isFinite(n) || n <= 0) return '0 B';
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : digits)} ${units[i]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatPercent(used: number, total: number): string {
  if (!total) return '0%';
  return `${((used / total) * 100).toFixed(1)}%`;
}

/** 93784 → "1d 2h 3m"; units are short and language-neutral. */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  return `${m}m`;
}

/** Komari stores a region as a flag emoji; a bare two-letter country code ("JP") becomes its flag. */
export function regionFlag(region: string | undefined): string {
  const r = (region ?? '').trim();
  if (!/^[A-Za-z]{2}$/.test(r)) return r;
  return String.fromCodePoint(...[...r.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
