/**
 * Which Node runtime a host asks for. install.sh maps `uname -s`/`uname -m` to Node's own names
 * (`linux`, `x64`, `arm64`, …), so the server compares them with its `process.platform` and
 * `process.arch`: it has exactly one runtime, its own.
 */
export interface Platform {
  os: string;
  arch: string;
}

/** The query's names: lower-case letters, digits and `_`, nothing a path could be made of. */
const nameShape = /^[a-z0-9_]+$/;

export type PlatformQuery = { ok: true; platform: Platform } | { ok: false; message: string };

/** `?os=linux&arch=x64`, each given once, nothing else; anything else is a clear refusal. */
export function parsePlatformQuery(query: unknown, maxChars: number): PlatformQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  const extra = Object.keys(q).filter((k) => k !== 'os' && k !== 'arch');
  if (extra.length > 0) return { ok: false, message: `unknown query parameter: ${extra[0]!.slice(0, 32)}` };
  const out: Record<string, string> = {};
  for (const key of ['os', 'arch'] as const) {
    const v = q[key];
    if (typeof v !== 'string') return { ok: false, message: `${key} is required, once (e.g. ?os=linux&arch=x64)` };
    if (v.length > maxChars || !nameShape.test(v)) {
      return { ok: false, message: `${key} must be ${maxChars} characters at most of a-z, 0-9 and _ (a Node.js platform name)` };
    }
    out[key] = v;
  }
  return { ok: true, platform: { os: out.os!, arch: out.arch! } };
}

/** The platform this server's own runtime runs on. */
export function serverPlatform(): Platform {
  return { os: process.platform, arch: process.arch };
}

export function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.arch === b.arch;
}
