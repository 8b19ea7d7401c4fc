// The agent file manager through the admin RPC methods (komari-1.5.md §2.2; fileRead is a
// komari-ts addition). A 2FA code, when the files gate asks for one, rides in X-2FA-Code so the
// methods' strict params stay as the spec gives them.
import { ApiError } from '../../lib/api.ts';
import { uploadFile } from './file-upload.ts';

/** An entry as the agent describes it (komari-1.5.md §2.2). */
export interface FileInfo {
  name: string;
  path: string;
  is_dir: boolean;
  is_symlink?: boolean;
  size: number;
  mode?: string;
  mode_octal?: string;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  modified_at?: string;
  target?: string;
}

export interface FileContent {
  data: string;
  size: number;
  modified_at?: string;
  content_type?: string;
  binary?: boolean;
}

/** What the agent will read or write for the editor (the `read`/`write` op limit). */
export const editLimit = 4 * 1024 * 1024;

let rpcId = 0;

async function call<T>(method: string, params: Record<string, unknown>, code?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (code) headers['X-2FA-Code'] = code;
  const res = await fetch('/api/rpc2', {
    method: 'POST',
    credentials: 'same-origin',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: `admin:${method}`, params, id: ++rpcId }),
  });
  const text = await res.text();
  let body: { result?: T; error?: { code: number; message: string } } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ApiError(res.status, text || res.statusText);
  }
  if (body?.error) throw new ApiError(res.status, body.error.message, body.error.code);
  return body?.result as T;
}

/** The roots answer is the agent's own; accept a bare list or one wrapped in an object. */
function rootsOf(raw: unknown): FileInfo[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw).find(Array.isArray) : undefined;
  return (list ?? []).flatMap((r: unknown): FileInfo[] => {
    if (typeof r === 'string') return [{ name: r, path: r, is_dir: true, size: 0 }];
    if (r && typeof r === 'object' && typeof (r as FileInfo).path === 'string') {
      const f = r as FileInfo;
      return [{ ...f, name: f.name || f.path, is_dir: f.is_dir ?? true }];
    }
    return [];
  });
}

export const filesApi = (uuid: string, code?: string) => ({
  roots: async () => rootsOf(await call<unknown>('fileListRoots', { uuid }, code)),
  list: async (path: string) => (await call<FileInfo[] | null>('fileList', { uuid, path }, code)) ?? [],
  read: (path: string) => call<FileContent>('fileRead', { uuid, path }, code),
  // Saved through the upload route, not admin:fileWrite: an RPC body is bound by KOMARI_BODY_LIMIT
  // (1 MiB, ~750 KiB of file in base64), uploads take the whole edit limit; the agent commits the
  // upload by one rename, so a reader sees the old file or the new one.
  save: (path: string, content: Blob) => uploadFile(uuid, path, content, { code, onProgress: () => {}, signal: new AbortController().signal }),
  mkdir: (path: string) => call<unknown>('fileMkdir', { uuid, path }, code),
  move: (source: string, destination: string) => call<unknown>('fileMove', { uuid, source, destination }, code),
  copy: (source: string, destination: string) => call<unknown>('fileCopy', { uuid, source, destination }, code),
  remove: (path: string) => call<unknown>('fileDelete', { uuid, path }, code),
  chmod: (path: string, mode: string) => call<{ mode: string }>('fileChmod', { uuid, path, mode }, code),
});

export type FilesApi = ReturnType<typeof filesApi>;

/** A plain link the browser streams to disk itself (Content-Disposition: attachment). */
export function downloadUrl(uuid: string, path: string): string {
  return `/api/admin/client/${encodeURIComponent(uuid)}/file/download?path=${encodeURIComponent(path)}`;
}

/**
 * The server asks for a current 2FA code (the files gate, or a code that was wrong or already
 * used); "too many codes" is not a question, it is shown as it is.
 */
export function asksForCode(err: unknown): boolean {
  return err instanceof ApiError && /2FA code/i.test(err.message) && !/too many/i.test(err.message);
}
