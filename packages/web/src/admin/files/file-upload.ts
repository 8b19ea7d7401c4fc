// Upload into a node's folder (komari-1.5.md §2.4): init with the size, every chunk of exactly the
// server's chunk_size as a raw body (the last one shorter), then merge. Chunks go through
// XMLHttpRequest for its upload progress; a failure or an abort cancels the session on the server,
// so neither the server nor the agent keeps a half upload.
import { ApiError, apiSend, readEnvelope } from '../../lib/api.ts';
import { postWithProgress } from '../../lib/post-with-progress.ts';

export interface UploadOptions {
  /** a 2FA code for the files gate, when it asked for one */
  code?: string;
  /** bytes the server has taken so far, of `total` */
  onProgress: (sent: number, total: number) => void;
  signal: AbortSignal;
}

interface InitAnswer {
  upload_id?: string;
  chunk_size: number;
  chunk_count?: number;
  complete: boolean;
}

const route = (uuid: string, operation: string) => `/api/admin/client/${encodeURIComponent(uuid)}/file/upload?operation=${operation}`;

export async function uploadFile(uuid: string, path: string, file: Blob, { code, onProgress, signal }: UploadOptions): Promise<void> {
  signal.throwIfAborted();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (code) headers['X-2FA-Code'] = code;
  const init = await readEnvelope<InitAnswer>(
    await fetch(route(uuid, 'init'), { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify({ path, size: file.size }), signal }),
  );
  if (init.complete) return onProgress(file.size, file.size);
  const uploadId = init.upload_id ?? '';
  const chunkSize = init.chunk_size;
  if (!uploadId || !(chunkSize > 0)) throw new ApiError(502, `bad upload session: ${JSON.stringify(init)}`);
  let merging = false;
  try {
    const count = Math.ceil(file.size / chunkSize);
    for (let index = 0; index < count; index++) {
      const start = index * chunkSize;
      const chunk = file.slice(start, Math.min(file.size, start + chunkSize));
      await sendChunk(uuid, uploadId, index, chunk, (bytes) => onProgress(start + bytes, file.size), signal);
    }
    onProgress(file.size, file.size);
    signal.throwIfAborted();
    merging = true;
    await apiSend(route(uuid, 'merge'), { upload_id: uploadId });
  } catch (err) {
    // A merge that failed is the agent's answer about the finished file; there is nothing to cancel.
    if (!merging) await apiSend(route(uuid, 'cancel'), { upload_id: uploadId }).catch(() => undefined);
    throw err;
  }
}

function sendChunk(uuid: string, uploadId: string, index: number, chunk: Blob, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
  return postWithProgress({
    url: route(uuid, 'chunk'),
    body: chunk,
    headers: { 'Content-Type': 'application/octet-stream', 'X-Komari-Upload-ID': uploadId, 'X-Komari-Chunk-Index': String(index) },
    size: chunk.size,
    onSent,
    signal,
  });
}
