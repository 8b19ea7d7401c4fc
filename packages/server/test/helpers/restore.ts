import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ZipFile } from 'yazl';
import { markerName, markerText } from '../../src/backup/archive-name.ts';
import { eventually } from './agent-common.ts';
import { http, resultOf, type HttpResult, type TestServer } from './server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface ZipEntry {
  name: string;
  data?: Buffer | string;
  /** unix mode bits (0o120777 makes a symbolic link) */
  mode?: number;
  dir?: boolean;
}

/** A zip built in memory with yazl (the same writer as the backup download). */
export async function zipOf(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const e of entries) {
    if (e.dir) zip.addEmptyDirectory(e.name);
    else zip.addBuffer(Buffer.from(e.data ?? ''), e.name, e.mode === undefined ? {} : { mode: e.mode });
  }
  zip.end();
  const parts: Buffer[] = [];
  for await (const c of zip.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** The marker entry every backup carries. */
export const marker = (): ZipEntry => ({ name: markerName, data: markerText(Date.UTC(2026, 11, 7)) });

/** The same bytes with every `from` replaced by `to` (same length): names yazl refuses to write. */
export function patchNames(zip: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const out = Buffer.from(zip);
  const needle = Buffer.from(from);
  for (let i = out.indexOf(needle); i !== -1; i = out.indexOf(needle, i + 1)) out.write(to, i, 'latin1');
  return out;
}

/** POST /api/admin/upload/chunk as a browser sends it (multipart, from FormData). */
export async function sendChunk(s: TestServer, cookie: string, fields: { upload_id?: string; chunk_index?: string; chunk_data?: Buffer }): Promise<HttpResult> {
  const form = new FormData();
  if (fields.upload_id !== undefined) form.append('upload_id', fields.upload_id);
  if (fields.chunk_index !== undefined) form.append('chunk_index', fields.chunk_index);
  if (fields.chunk_data) form.append('chunk_data', new Blob([fields.chunk_data]), 'blob');
  return resultOf(await fetch(`${s.url}/api/admin/upload/chunk`, { method: 'POST', body: form, headers: { cookie: `session_token=${cookie}` } }));
}

export const post = (s: TestServer, cookie: string, path: string, body: unknown) => http(s.url, path, { method: 'POST', cookie, body });

/** The whole chunked protocol: init, every chunk, merge; returns the merge answer. */
export async function uploadBackup(s: TestServer, cookie: string, archive: Buffer, filename = 'backup.zip'): Promise<HttpResult> {
  const init = await post(s, cookie, '/api/admin/upload/init', { purpose: 'backup', size: archive.length, filename });
  assert.equal(init.status, 200, init.text);
  const { upload_id, chunk_size } = init.json.data as { upload_id: string; chunk_size: number };
  for (let i = 0; i * chunk_size < archive.length; i++) {
    const res = await sendChunk(s, cookie, { upload_id, chunk_index: String(i), chunk_data: archive.subarray(i * chunk_size, (i + 1) * chunk_size) });
    assert.equal(res.status, 200, res.text);
  }
  return post(s, cookie, '/api/admin/upload/merge', { upload_id });
}

/** The backup download of a running server. */
export async function downloadBackup(s: TestServer, cookie: string): Promise<Buffer> {
  const res = await fetch(`${s.url}/api/admin/download/backup`, { headers: { cookie: `session_token=${cookie}`, connection: 'close' } });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Waits until the server answers again after a restore and its status shows it finished; logs in
 * anew (the restored database has its own sessions) and returns the cookie and the status.
 */
export async function afterRestore(s: TestServer, timeoutMs = 20_000): Promise<{ cookie: string; status: any }> {
  let cookie = '';
  let status: any;
  await eventually(async () => {
    try {
      cookie = await s.login();
      const res = await http(s.url, '/api/admin/backup/status', { cookie });
      status = res.json?.data;
      return res.status === 200 && status?.restoring === false && status.last !== null;
    } catch {
      return false; // between the old app's close and the new one's listen
    }
  }, timeoutMs);
  return { cookie, status };
}

/** Every path under `dir` (folders with a trailing /), sorted; the database's journal files left out. */
export function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (/komari\.db-(wal|shm)$/.test(rel)) continue;
      if (statSync(p).isDirectory()) {
        out.push(`${rel}/`);
        walk(p);
      } else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}
