/**
 * The admin's side of Komari's chunked upload (admin-api.md §11.2), as the benchmarks drive it:
 * init, every chunk as a multipart form, merge. What the merge does is the purpose's (a backup
 * restores, a theme installs).
 */
import type { ServerChild } from './server.ts';

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A JSON POST with an API key; the status and the parsed answer. */
export async function postJson(s: ServerChild, key: string, path: string, body: unknown): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** Uploads `archive` for `purpose` and merges it; throws with the server's answer on any refusal. */
export async function uploadInChunks(s: ServerChild, purpose: string, archive: Buffer): Promise<void> {
  const init = await postJson(s, s.apiKey, '/api/admin/upload/init', { purpose, size: archive.length, filename: 'bench.zip' });
  if (init.status !== 200) throw new Error(`init: ${JSON.stringify(init.json)}`);
  const { upload_id: id, chunk_size: size } = init.json.data;
  for (let i = 0; i * size < archive.length; i++) {
    const form = new FormData();
    form.append('upload_id', id);
    form.append('chunk_index', String(i));
    form.append('chunk_data', new Blob([archive.subarray(i * size, (i + 1) * size)]), 'chunk');
    const res = await fetch(`${s.url}/api/admin/upload/chunk`, { method: 'POST', headers: bearer(s.apiKey), body: form });
    if (res.status !== 200) throw new Error(`chunk ${i}: ${await res.text()}`);
  }
  const merged = await postJson(s, s.apiKey, '/api/admin/upload/merge', { upload_id: id });
  if (merged.status !== 200) throw new Error(`merge: ${JSON.stringify(merged.json)}`);
}
