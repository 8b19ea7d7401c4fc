import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Readable } from 'node:stream';
import { http, https } from '../../lazy-modules.ts';
import { type Args, str } from './args.ts';
import { FileOpError } from './errors.ts';
import { fileLimits } from './limits.ts';

/** What a stream needs to reach the server: the panel URL and node token, and how to connect. */
export interface TransferLink {
  endpoint: string;
  token: string;
  insecure: boolean;
  family?: 4 | 6;
}

export interface Transfer {
  url: URL;
  id: string;
  token: string;
}

/**
 * `<endpoint>/api/clients/transfer/<id>?token=<node token>&transfer_token=<t>` (komari-1.5.md
 * §2.5). The URL holds credentials: it goes to our own server only and is never logged.
 */
export function transferOf(link: TransferLink, args: Args): Transfer {
  const id = str(args, 'transfer_id');
  const token = str(args, 'transfer_token');
  if (id === '' || token === '') throw new FileOpError('transfer_id and transfer_token are required');
  const url = new URL(`${link.endpoint.replace(/\/+$/, '')}/api/clients/transfer/${encodeURIComponent(id)}`);
  url.search = new URLSearchParams({ token: link.token, transfer_token: token }).toString();
  return { url, id, token };
}

export interface StreamRequest {
  transfer: Transfer;
  headers: Record<string, string>;
  /** the request body (download); none for an upload */
  body?: Readable;
  signal: AbortSignal;
}

/**
 * One POST to the transfer route over node:http(s) (loaded only when a transfer happens; the
 * agent's own client buffers whole answers). Resolves with the answer once its head is in and
 * the status is 2xx; a refused transfer rejects with the status and the start of its text.
 * HTTP/1.1 without keep-alive: each transfer is its own connection, as each is one-shot.
 */
export function postTransfer(link: TransferLink, r: StreamRequest): Promise<IncomingMessage> {
  const secure = r.transfer.url.protocol === 'https:';
  const options: RequestOptions = {
    method: 'POST',
    agent: false,
    headers: {
      'Accept-Encoding': 'identity',
      'X-Komari-Transfer-ID': r.transfer.id,
      'X-Komari-Transfer-Token': r.transfer.token,
      Connection: 'close',
      ...r.headers,
    },
    signal: r.signal,
    ...(link.family ? { family: link.family } : {}),
    ...(secure ? { rejectUnauthorized: !link.insecure } : {}),
  };
  return new Promise((resolve, reject) => {
    const req: ClientRequest = (secure ? https() : http()).request(r.transfer.url, options, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(res);
      refusal(res).then(reject, reject);
    });
    req.once('error', (err) => reject(r.signal.aborted ? new FileOpError('file transfer cancelled') : err));
    if (r.body) {
      r.body.once('error', (err) => req.destroy(err));
      r.body.pipe(req);
    } else req.end();
  });
}

/** The refused transfer's error, with at most 4 KiB of its text. */
async function refusal(res: IncomingMessage): Promise<FileOpError> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (size < fileLimits.streamErrorBytes) chunks.push(chunk);
      size += chunk.length;
      if (size >= fileLimits.streamErrorBytes) break;
    }
  } catch {
    // the text is a courtesy
  }
  res.destroy();
  const text = Buffer.concat(chunks).subarray(0, fileLimits.streamErrorBytes).toString('utf8').trim();
  const status = `${res.statusCode} ${res.statusMessage ?? ''}`.trim();
  return new FileOpError(`file transfer endpoint returned ${status}${text ? `: ${text}` : ''}`);
}

/** At most `size` streams at once; the others wait (up to `waiters` of them) for a slot. */
export class Slots {
  #free: number;
  readonly #queue: Array<() => void> = [];
  readonly #waiters: number;

  constructor(size: number, waiters: number) {
    this.#free = size;
    this.#waiters = waiters;
  }

  async acquire(signal: AbortSignal): Promise<() => void> {
    if (this.#free === 0) {
      if (this.#queue.length >= this.#waiters) throw new FileOpError('too many file transfers waiting; try again later');
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal.removeEventListener('abort', quit);
          resolve();
        };
        const quit = () => {
          const i = this.#queue.indexOf(go);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(new FileOpError('file transfer cancelled'));
        };
        this.#queue.push(go);
        signal.addEventListener('abort', quit, { once: true });
      });
    } else this.#free--;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
