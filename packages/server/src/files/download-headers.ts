import { extname } from 'node:path';

const types: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
};

export function contentTypeOf(name: string): string {
  return types[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** An ASCII stand-in for a file name: quotes, backslashes, controls and non-ASCII become `_`. */
export function asciiName(name: string): string {
  const out = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return out === '' ? 'download' : out;
}

/** `attachment`/`inline` with an ASCII `filename`, plus `filename*` for a non-ASCII name (RFC 6266). */
export function contentDisposition(name: string, inline: boolean, asciiOnly: boolean): string {
  const kind = inline ? 'inline' : 'attachment';
  const ascii = asciiName(name);
  if (asciiOnly || ascii === name) return `${kind}; filename="${ascii}"`;
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** A file's modification time from the agent's RFC 3339 text: milliseconds, and nanoseconds for the ETag. */
export function mtimeOf(text: unknown): { ms: number; ns: bigint } | undefined {
  if (text === undefined || text === null || text === '') return { ms: 0, ns: 0n };
  if (typeof text !== 'string') return undefined;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return undefined;
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  const ns = BigInt(Math.floor(ms / 1000)) * 1_000_000_000n + BigInt((fraction + '000000000').slice(0, 9));
  return { ms, ns: ms < 0 ? BigInt(ms) * 1_000_000n : ns };
}

export type RangeAnswer = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; several ranges, a malformed one or one past
 * the end cannot be served (416).
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined || header === '') return { kind: 'full' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'unsatisfiable' };
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/** If-Range: the range applies when the validator names this version (strong ETag, or the same second). */
export function ifRangeMatches(header: string | undefined, etag: string, mtimeMs: number): boolean {
  if (header === undefined || header === '') return true;
  if (header.startsWith('"') || header.startsWith('W/')) return header === etag;
  const at = Date.parse(header);
  return Number.isFinite(at) && Math.floor(at / 1000) === Math.floor(mtimeMs / 1000);
}
