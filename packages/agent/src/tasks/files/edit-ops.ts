import { stat } from 'node:fs/promises';
import { type Args, str } from './args.ts';
import { replaceAtomically } from './atomic.ts';
import { FileOpError } from './errors.ts';
import { goTime } from './info.ts';
import { fileLimits } from './limits.ts';
import type { FileScope } from './scope.ts';

/** The editor's read and write (komari-1.5.md §2.3): whole files of at most 4 MiB, base64 in JSON. */

const tooBig = () => new FileOpError(`file exceeds the ${fileLimits.editableBytes} byte edit limit`);

export async function readForEdit(scope: FileScope, args: Args): Promise<Record<string, unknown>> {
  const path = await scope.resolve(str(args, 'path'));
  const info = await stat(path, { bigint: true });
  if (info.isDirectory()) throw new FileOpError('cannot read a directory');
  if (info.size > BigInt(fileLimits.editableBytes)) throw tooBig();
  // read at most one byte past the limit: a file that grew since the stat is refused, not cut
  const handle = await scope.open(path, 'r');
  let content: Buffer;
  try {
    const buf = Buffer.alloc(fileLimits.editableBytes + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got === buf.length) throw tooBig();
    }
    content = buf.subarray(0, got);
  } finally {
    await handle.close();
  }
  return {
    data: content.toString('base64'),
    size: content.length,
    modified_at: goTime(info.mtimeNs),
    content_type: contentType(content),
    binary: isBinary(content),
  };
}

/** `data` in `args`, or at the top of the call (the legacy field the Go agent reads). */
export async function writeFromEdit(scope: FileScope, args: Args, legacyData: unknown): Promise<{ saved: true; size: number }> {
  const path = await scope.resolve(str(args, 'path'));
  if (await scope.isProtected(path)) throw new FileOpError('cannot write a directory');
  const raw = typeof args.data === 'string' ? args.data : typeof legacyData === 'string' ? legacyData : '';
  // checked before decoding: 4 MiB of content is at most this much base64
  if (raw.length > Math.ceil(fileLimits.editableBytes / 3) * 4) throw tooBig();
  if (raw.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) throw new FileOpError('illegal base64 data');
  const content = Buffer.from(raw, 'base64');
  if (content.length > fileLimits.editableBytes) throw tooBig();
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new FileOpError('cannot write a directory');
  await replaceAtomically(path, content);
  return { saved: true, size: content.length };
}

/** The few signatures of Go's http.DetectContentType an editor cares about; else text or octet-stream. */
function contentType(b: Buffer): string {
  const starts = (sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts([0x89, 0x50, 0x4e, 0x47])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (starts([0x1f, 0x8b, 0x08])) return 'application/x-gzip';
  return isBinary(b) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

const printable = (text: string) => [...text].every((c) => c === '\n' || c === '\r' || c === '\t' || c === '\f' || !/[\p{Cc}\p{Cn}\p{Co}\p{Cs}]/u.test(c));

function decodes(sample: Buffer, encoding: string): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(sample);
  } catch {
    return undefined;
  }
}

/**
 * The Go agent's rule: look at the first 512 bytes (after a UTF-8 BOM, up to the first NUL); text
 * is valid UTF-8 (or GB18030 / Big5) of printable characters only.
 */
export function isBinary(content: Buffer): boolean {
  if (content.length === 0) return false;
  let sample = content.subarray(0, 512);
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) sample = sample.subarray(3);
  const nul = sample.indexOf(0);
  if (nul >= 0) sample = sample.subarray(0, nul);
  if (sample.length === 0) return true;
  // a multi-byte character cut by the 512-byte window is not a reason to call the file binary
  for (const cut of [0, 1, 2, 3]) {
    const text = decodes(sample.subarray(0, sample.length - cut), 'utf-8');
    if (text !== undefined) return !printable(text);
    if (sample.length < 512) break;
  }
  for (const legacy of ['gb18030', 'big5']) {
    const text = decodes(sample, legacy);
    if (text !== undefined && printable(text)) return false;
  }
  return true;
}
