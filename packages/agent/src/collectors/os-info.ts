import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { under } from './options.ts';

/** A value of an os-release line: unquoted, or in single or double quotes with `\` escapes. */
function unquote(raw: string): string {
  const v = raw.trim();
  const q = v[0];
  if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) {
    const body = v.slice(1, -1);
    return q === '"' ? body.replace(/\\(.)/g, '$1') : body;
  }
  return v;
}

/** PRETTY_NAME of an os-release file, else NAME VERSION, else undefined. */
export function parseOsRelease(text: string): string | undefined {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) vars.set(m[1], unquote(m[2]));
  }
  const pretty = vars.get('PRETTY_NAME');
  if (pretty) return pretty;
  const named = [vars.get('NAME'), vars.get('VERSION')].filter(Boolean).join(' ');
  return named || undefined;
}

/** The pretty OS name from /etc/os-release (or /usr/lib/os-release); `Linux` when neither says. */
export function readOsName(rootDir: string): string {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const name = parseOsRelease(readFileSync(under(rootDir, path), 'utf8'));
      if (name) return name;
    } catch {
      // try the next file
    }
  }
  return 'Linux';
}

export function readKernelVersion(procRoot: string): string {
  try {
    return readFileSync(`${procRoot}/sys/kernel/osrelease`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Node's `process.arch` as Go's GOARCH, which the official agent sends (agent-protocol.md §4.1). */
export function goArch(arch: string = process.arch, endian: 'BE' | 'LE' = endianness()): string {
  const little = endian === 'LE';
  switch (arch) {
    case 'x64': return 'amd64';
    case 'ia32': return '386';
    case 'ppc64': return little ? 'ppc64le' : 'ppc64';
    case 'mipsel': return 'mipsle';
    case 'mips64el': return 'mips64le';
    default: return arch; // arm, arm64, s390x, riscv64, loong64, mips, mips64 are the same in Go
  }
}
