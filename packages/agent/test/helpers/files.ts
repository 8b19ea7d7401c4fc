import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { type FileContext, FileManager, type FileManagerOptions, type FileResult } from '../../src/tasks/files/manager.ts';

/** A temp folder (its real path: /tmp may be a link) removed after the suite. */
export function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const noServer: FileContext = { endpoint: 'http://127.0.0.1:9', token: 'node-token', signal: new AbortController().signal };

/** A real FileManager and a one-line way to call an op, as the server would. */
export function fileManager(o: Partial<FileManagerOptions> = {}) {
  const files = new FileManager({ disabled: false, fileRoot: '', insecure: false, ...o });
  let n = 0;
  const run = (op: string, args: Record<string, unknown> = {}, ctx: FileContext = noServer, data?: unknown): Promise<FileResult> =>
    files.run({ uuid: 'node-1', requestId: `req-${++n}`, op, args, ...(data !== undefined ? { data } : {}) }, ctx);
  /** the result of an op that must succeed */
  const ok = async <T = any>(op: string, args: Record<string, unknown> = {}, ctx?: FileContext): Promise<T> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await run(op, args, ctx);
    if (!r.ok) throw new Error(`${op} failed: ${r.error}`);
    return r.result as T;
  };
  /** the error text of an op that must fail */
  const fails = async (op: string, args: Record<string, unknown> = {}, ctx?: FileContext): Promise<string> => {
    const r = await run(op, args, ctx);
    if (r.ok) throw new Error(`${op} succeeded: ${JSON.stringify(r.result).slice(0, 200)}`);
    return r.error ?? '';
  };
  return { files, run, ok, fails };
}
