import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import WebSocket from 'ws';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A simulated Komari 1.5 agent for the file manager (komari-1.5.md §2): a v2 socket that takes
 * `agent.file`, does the operation on a real folder (`root` stands for `/`), answers by POSTing
 * `agent.file.result` to /api/clients/v2/rpc (as the official agent does, not on the socket) and
 * moves bytes through /api/clients/transfer/:id over real HTTP.
 */
export interface FileAgentOptions {
  /** answer every op with `{ok:false, error: 'web control is disabled'}` (--disable-web-ssh) */
  disabled?: boolean;
  /** never answer (the server's call times out) */
  silent?: boolean;
  /** answer these ops with this error text */
  failOps?: Record<string, string>;
  /** report every this many ms so the socket outlives the read deadline */
  reportEveryMs?: number;
}

const report = { cpu: { usage: 1 }, ram: { total: 1, used: 1 }, swap: { total: 0, used: 0 }, load: { load1: 0, load5: 0, load15: 0 }, disk: { total: 1, used: 1 }, network: { up: 0, down: 0, totalUp: 0, totalDown: 0 }, connections: { tcp: 0, udp: 0 }, uptime: 1, process: 1, message: '' };

export class FileAgent {
  readonly ws: WebSocket;
  readonly base: string;
  readonly token: string;
  readonly root: string;
  opts: FileAgentOptions;
  /** every `agent.file` params received, in order */
  readonly received: any[] = [];
  /** answers the server refused (status, body) */
  readonly refused: Array<{ status: number; body: string }> = [];
  readonly #timer: NodeJS.Timeout;

  private constructor(ws: WebSocket, base: string, token: string, root: string, opts: FileAgentOptions) {
    this.ws = ws;
    this.base = base;
    this.token = token;
    this.root = root;
    this.opts = opts;
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.method === 'agent.file') void this.#handle(frame.params);
    });
    this.#timer = setInterval(() => this.#report(), opts.reportEveryMs ?? 3000);
    this.#timer.unref();
  }

  static async connect(base: string, token: string, root: string, opts: FileAgentOptions = {}): Promise<FileAgent> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/clients/v2/rpc?token=${token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const agent = new FileAgent(ws, base, token, root, opts);
    // The first report registers the socket: commands reach it from then on.
    await new Promise<void>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        if (JSON.parse(data.toString()).id === 'r-first') {
          ws.off('message', onMessage);
          resolve();
        }
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'agent.report', params: { report }, id: 'r-first' }));
    });
    return agent;
  }

  close(): void {
    clearInterval(this.#timer);
    this.ws.close();
  }

  #report(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'agent.report', params: { report } }));
  }

  /** `/…` on the agent is `root/…` here. */
  local(path: string): string {
    return join(this.root, path);
  }

  async #handle(params: any): Promise<void> {
    this.received.push(params);
    if (this.opts.silent) return;
    let answer: Record<string, unknown>;
    try {
      if (this.opts.disabled) throw new Error('web control is disabled');
      const forced = this.opts.failOps?.[params.op];
      if (forced !== undefined) throw new Error(forced);
      answer = { ok: true, result: await this.#run(params.op, params.args ?? {}) };
    } catch (err) {
      answer = { ok: false, error: (err as Error).message };
    }
    await this.postResult({ uuid: params.uuid, request_id: params.request_id, ...answer });
  }

  /** POSTs one `agent.file.result` (plain JSON, no id), as the official agent does. */
  async postResult(params: Record<string, unknown>): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.base}/api/clients/v2/rpc?token=${this.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'agent.file.result', params }),
    });
    const text = await res.text();
    if (res.status !== 200) this.refused.push({ status: res.status, body: text });
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  async #info(path: string): Promise<Record<string, unknown>> {
    const st = await stat(this.local(path));
    return {
      name: basename(path) || '/',
      path,
      is_dir: st.isDirectory(),
      is_symlink: false,
      size: st.isDirectory() ? 0 : st.size,
      mode: st.mode,
      mode_octal: (st.mode & 0o7777).toString(8).padStart(4, '0'),
      uid: st.uid,
      gid: st.gid,
      owner: String(st.uid),
      group: String(st.gid),
      modified_at: st.mtime.toISOString(),
    };
  }

  #part(path: string, uploadId: string): string {
    return join(dirname(this.local(path)), `.${basename(path)}.komari-upload-${uploadId}.part`);
  }

  async #run(op: string, a: any): Promise<unknown> {
    switch (op) {
      case 'list_roots':
        return [await this.#info('/')];
      case 'list': {
        const names = await readdir(this.local(a.path));
        return Promise.all(names.map((n) => this.#info(join(a.path, n))));
      }
      case 'stat':
        return this.#info(a.path);
      case 'mkdir':
        await mkdir(this.local(a.path), { mode: parseInt(a.mode ?? '0755', 8) });
        return { created: true };
      case 'delete':
        if (a.path === '/') throw new Error('refusing to delete a filesystem root');
        await stat(this.local(a.path));
        await rm(this.local(a.path), { recursive: true });
        return { deleted: true };
      case 'move':
        await rename(this.local(a.source), this.local(a.destination));
        return { moved: true };
      case 'copy':
        await copyFile(this.local(a.source), this.local(a.destination));
        return { copied: true };
      case 'chmod':
        await chmod(this.local(a.path), parseInt(a.mode, 8));
        return { mode: a.mode };
      case 'chown':
        return { uid: a.uid ?? -1, gid: a.gid ?? -1 };
      case 'search': {
        const names = await readdir(this.local(a.path), { recursive: true });
        const matches = [];
        for (const n of names) if (String(n).includes(a.query)) matches.push({ path: join(a.path, String(n)), line: 0, is_dir: false });
        return { matches, limited: false };
      }
      case 'read': {
        const data = await readFile(this.local(a.path));
        if (data.length > 4194304) throw new Error('file exceeds the 4194304 byte edit limit');
        return { data: data.toString('base64'), size: data.length, modified_at: new Date().toISOString(), content_type: 'text/plain', binary: false };
      }
      case 'write': {
        const data = Buffer.from(a.data, 'base64');
        await writeFile(this.local(a.path), data);
        return { saved: true, size: data.length };
      }
      case 'create':
        await writeFile(this.local(a.path), '');
        return { created: true };
      case 'download_stream':
        return this.#sendChunk(a);
      case 'upload_stream':
        return this.#fetchChunk(a);
      case 'upload_commit':
        await rename(this.#part(a.path, a.upload_id), this.local(a.path)).catch(() => {
          throw new Error('unknown upload session');
        });
        return { received: 0, final: true, offset: a.offset };
      case 'upload_cancel':
        await rm(this.#part(a.path ?? '/', a.upload_id), { force: true });
        return { cancelled: true };
      default:
        throw new Error(`unsupported file operation: ${op}`);
    }
  }

  #transferUrl(a: any): URL {
    return new URL(`${this.base}/api/clients/transfer/${a.transfer_id}?token=${this.token}&transfer_token=${a.transfer_token}`);
  }

  #headers(a: any): Record<string, string> {
    return { 'x-komari-transfer-id': a.transfer_id, 'x-komari-transfer-token': a.transfer_token, 'x-komari-transfer-offset': String(a.offset), 'x-komari-transfer-length': String(a.length ?? ''), 'accept-encoding': 'identity' };
  }

  /** download_stream: POSTs exactly `length` bytes from `offset`, streamed from the file. */
  async #sendChunk(a: any): Promise<unknown> {
    const st = await stat(this.local(a.path));
    if (st.size !== a.file_size) throw new Error('file changed while opening stream');
    const req = httpRequest(this.#transferUrl(a), {
      method: 'POST',
      headers: { ...this.#headers(a), 'content-type': 'application/octet-stream', 'content-length': String(a.length), 'content-range': `bytes ${a.offset}-${a.offset + a.length - 1}/${a.file_size}` },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    await pipeline(createReadStream(this.local(a.path), { start: a.offset, end: a.offset + a.length - 1 }), req);
    const res = await answered;
    let body = '';
    for await (const piece of res) body += piece;
    if (res.statusCode !== 200) throw new Error(`transfer failed: ${res.statusCode} ${body}`);
    return { sent: a.length };
  }

  /** upload_stream: GETs the chunk and writes it into the `.part` file at its offset. */
  async #fetchChunk(a: any): Promise<unknown> {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(this.#transferUrl(a), { method: 'GET', headers: this.#headers(a) });
      req.once('response', resolve);
      req.once('error', reject);
      req.end();
    });
    if (res.statusCode !== 200) {
      let body = '';
      for await (const piece of res) body += piece;
      throw new Error(`transfer failed: ${res.statusCode} ${body}`);
    }
    const part = this.#part(a.path, a.upload_id);
    const expected = Number(res.headers['content-length']);
    let got = 0;
    res.on('data', (b: Buffer) => (got += b.length));
    await pipeline(res, createWriteStream(part, { flags: a.first ? 'w' : 'r+', start: a.offset }));
    if (got !== expected) throw new Error(`short upload chunk: ${got} of ${expected}`);
    return { received: got, offset: a.offset + got };
  }
}
