import { once } from 'node:events';
import { type Args, int, str } from './args.ts';
import { FileOpError } from './errors.ts';
import { parseGoTime } from './info.ts';
import { fileLimits } from './limits.ts';
import type { FileScope } from './scope.ts';
import { postTransfer, type Slots, transferOf, type TransferLink } from './transfer-http.ts';

/**
 * download_stream (komari-1.5.md §2.3, §2.5): POSTs exactly `length` bytes of the file from
 * `offset` to the transfer route, read from disk as the socket takes them (never the whole chunk
 * in memory). The file is checked against the size and time the server saw in its `stat`, on the
 * open descriptor, so a file replaced in between is refused rather than sent half old, half new.
 */
export async function downloadStream(scope: FileScope, args: Args, link: TransferLink, slots: Slots, signal: AbortSignal): Promise<{ sent: number }> {
  const offset = int(args, 'offset', -1);
  const length = int(args, 'length', -1);
  if (offset < 0 || length <= 0 || length > fileLimits.streamMaxBytes) throw new FileOpError('invalid download stream range');
  const transfer = transferOf(link, args);
  const path = await scope.resolve(str(args, 'path'));
  const handle = await scope.open(path, 'r');
  const ac = new AbortController();
  const stop = () => ac.abort();
  signal.addEventListener('abort', stop, { once: true });
  const timer = setTimeout(stop, fileLimits.streamTimeoutMs);
  let release: (() => void) | undefined;
  let body: ReturnType<typeof handle.createReadStream> | undefined;
  try {
    const info = await handle.stat({ bigint: true });
    if (info.isDirectory()) throw new FileOpError('cannot download a directory');
    const size = Number(info.size);
    if (offset > size || length > size - offset) throw new FileOpError('download range exceeds file size');
    const fileSize = int(args, 'file_size');
    if (fileSize > 0 && size !== fileSize) throw new FileOpError('download file changed while opening stream');
    const expected = parseGoTime(str(args, 'modified_at'));
    if (expected !== undefined && expected !== info.mtimeNs) throw new FileOpError('download file changed while opening stream');
    release = await slots.acquire(ac.signal);
    body = handle.createReadStream({ start: offset, end: offset + length - 1, autoClose: false, highWaterMark: 512 * 1024 });
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(length),
      Accept: 'application/json',
      'X-Komari-Transfer-Offset': String(offset),
      'X-Komari-Transfer-Length': String(length),
      ...(fileSize > 0 ? { 'Content-Range': `bytes ${offset}-${offset + length - 1}/${fileSize}` } : {}),
    };
    const res = await postTransfer(link, { transfer, headers, body, signal: ac.signal });
    res.resume();
    await once(res, 'end');
    return { sent: length };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
    release?.();
    // a refused or cut transfer leaves the read stream paused mid-file: end it before the descriptor
    body?.destroy();
    await handle.close();
  }
}
