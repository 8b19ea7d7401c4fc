// Komari's chunked upload (admin-api.md §11.2): init, every chunk of exactly `chunk_size` bytes
// (the last one shorter), then merge. Chunks go through XMLHttpRequest for its upload progress;
// a failure or an abort cancels the upload on the server, so no half upload is left behind.
import { ApiError, apiSend } from '../../lib/api.ts';
import { postWithProgress } from '../../lib/post-with-progress.ts';

export interface UploadOptions {
  /** bytes the server has received so far, of `total` */
  onProgress: (sent: number, total: number) => void;
  signal: AbortSignal;
}

interface UploadSession {
  upload_id: string;
  chunk_size: number;
}

export async function uploadInChunks<T>(file: File, purpose: string, { onProgress, signal }: UploadOptions): Promise<T> {
  const session = await apiSend<UploadSession>('/api/admin/upload/init', { purpose, size: file.size, filename: file.name });
  const { upload_id: uploadId, chunk_size: chunkSize } = session;
  if (!(chunkSize > 0)) throw new ApiError(500, `bad chunk_size: ${String(chunkSize)}`);
  let merging = false;
  try {
    const count = Math.ceil(file.size / chunkSize);
    for (let index = 0; index < count; index++) {
      const start = index * chunkSize;
      const chunk = file.slice(start, Math.min(file.size, start + chunkSize));
      await sendChunk(uploadId, index, chunk, (bytes) => onProgress(start + bytes, file.size), signal);
    }
    onProgress(file.size, file.size);
    signal.throwIfAborted();
    merging = true;
    return await apiSend<T>('/api/admin/upload/merge', { upload_id: uploadId });
  } catch (err) {
    // The server drops an upload whose merge failed itself (a cancel would only answer 404); one
    // whose merge answer was lost expires on the server.
    if (!merging) await apiSend('/api/admin/upload/cancel', { upload_id: uploadId }).catch(() => undefined);
    throw err;
  }
}

function sendChunk(uploadId: string, index: number, chunk: Blob, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
  const form = new FormData();
  form.append('upload_id', uploadId);
  form.append('chunk_index', String(index));
  form.append('chunk_data', chunk, `chunk-${index}`);
  return postWithProgress({ url: '/api/admin/upload/chunk', body: form, size: chunk.size, onSent, signal });
}
