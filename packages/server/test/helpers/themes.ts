import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { post, sendChunk, zipOf, type ZipEntry } from './restore.ts';
import { resultOf, type HttpResult, type TestServer } from './server.ts';

/** A theme package: its manifest at the root (an object is written as JSON), then `files`. */
export function themeZip(manifest: unknown, files: ZipEntry[] = []): Promise<Buffer> {
  const text = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
  return zipOf([{ name: 'komari-theme.json', data: text }, ...files]);
}

/** The whole chunked protocol with purpose `theme`: init, every chunk, merge; the merge answer. */
export async function uploadTheme(s: TestServer, cookie: string, archive: Buffer, filename = 'theme.zip'): Promise<HttpResult> {
  const init = await post(s, cookie, '/api/admin/upload/init', { purpose: 'theme', size: archive.length, filename });
  assert.equal(init.status, 200, init.text);
  const { upload_id, chunk_size } = init.json.data as { upload_id: string; chunk_size: number };
  for (let i = 0; i * chunk_size < archive.length; i++) {
    const res = await sendChunk(s, cookie, { upload_id, chunk_index: String(i), chunk_data: archive.subarray(i * chunk_size, (i + 1) * chunk_size) });
    assert.equal(res.status, 200, res.text);
  }
  return post(s, cookie, '/api/admin/upload/merge', { upload_id });
}

/** The older single request: `PUT /api/admin/theme/upload` with the raw zip as the body. */
export async function putTheme(s: TestServer, cookie: string, archive: Buffer): Promise<HttpResult> {
  return resultOf(await fetch(`${s.url}/api/admin/theme/upload`, { method: 'PUT', body: archive, headers: { cookie: `session_token=${cookie}`, 'content-type': 'application/zip' } }));
}

/** Installed theme folders, and the staging folder's left-overs (both should be as expected). */
export function themeFolders(s: TestServer): { installed: string[]; staging: string[] } {
  const list = (d: string) => (existsSync(d) ? readdirSync(d).sort() : []);
  return { installed: list(join(s.dir, 'theme')), staging: list(join(s.dir, '.theme-staging')) };
}

/** A manifest with the fields every answer carries, as the server re-serialises it. */
export function shaped(m: Record<string, unknown>): Record<string, unknown> {
  return {
    name: null,
    short: '',
    description: null,
    version: '',
    author: null,
    url: '',
    preview: '',
    ...m,
    configuration: { type: '', icon: '', name: null, data: null, ...(m.configuration as object) },
  };
}
