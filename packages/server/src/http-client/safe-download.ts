import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { DownloadFailed, DownloadRefused } from './errors.ts';
import { resolveTarget, type CheckedTarget, type TestLoopbackAllowance } from './resolve-target.ts';

export interface SafeFetchOptions {
  /** bytes of the body, counted as it arrives; one more stops the transfer */
  maxBytes: number;
  /** the whole exchange, every redirect and the body included */
  timeoutMs: number;
  /** redirects followed; each hop is checked as the first request was */
  maxRedirects: number;
  /** sent on every hop, so never a credential */
  headers?: Record<string, string>;
  /** TESTS ONLY (resolve-target.ts): never set by the running server */
  testAllowance?: TestLoopbackAllowance;
}

export interface DownloadedFile {
  /** a temporary file the caller owns and must remove */
  path: string;
  bytes: number;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * A URL the server may fetch: http or https, no user name or password in it. The error never
 * repeats the URL, which may carry a token in its query.
 */
export function checkUrl(raw: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new DownloadRefused('invalid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DownloadRefused(`unsupported URL scheme ${url.protocol} (only http and https)`);
  }
  if (url.username || url.password) throw new DownloadRefused('credentials in the URL are not allowed');
  return url;
}

/**
 * Downloads `raw` into a new file under `dir` without ever holding the body in memory: each hop
 * resolved and checked (resolve-target.ts) and connected to the checked address, redirects
 * followed by hand, the size counted while streaming, one deadline for everything. On any
 * failure the partial file is removed.
 */
export async function downloadToFile(raw: string, dir: string, opts: SafeFetchOptions): Promise<DownloadedFile> {
  const start = checkUrl(raw);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `download-${randomUUID()}.part`);
  try {
    const res = await openFollowing(start, opts, signal);
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    let writeError: Error | undefined;
    out.on('error', (err) => (writeError = err));
    let bytes: number;
    try {
      bytes = await readBounded(res, opts.maxBytes, signal, async (chunk) => {
        if (writeError) throw writeError;
        if (!out.write(chunk)) await once(out, 'drain', { signal });
      });
    } finally {
      out.end();
      await finished(out).catch((err: Error) => (writeError ??= err));
    }
    if (writeError) throw writeError;
    return { path, bytes };
  } catch (err) {
    rmSync(path, { force: true });
    throw explain(err, signal, opts);
  }
}

/** The same checks for a small answer (an API's JSON) read into memory, at most `maxBytes`. */
export async function fetchText(raw: string, opts: SafeFetchOptions): Promise<string> {
  const start = checkUrl(raw);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await openFollowing(start, opts, signal);
    const chunks: Buffer[] = [];
    await readBounded(res, opts.maxBytes, signal, (chunk) => void chunks.push(chunk));
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    throw explain(err, signal, opts);
  }
}

/**
 * Reads the body chunk by chunk, counting, and stops at one byte past `maxBytes` or at the
 * deadline. Read by hand rather than through `pipeline`: a response that has fully arrived on a
 * closed connection never reports its own close once destroyed, and `pipeline` would wait for it.
 */
async function readBounded(res: IncomingMessage, maxBytes: number, signal: AbortSignal, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<number> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge(maxBytes);
  }
  const stop = (): void => void res.destroy(signal.reason as Error);
  signal.addEventListener('abort', stop, { once: true });
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      await onChunk(chunk);
    }
    if (!res.complete) throw new DownloadFailed('the connection closed before the file was complete');
    return total;
  } finally {
    signal.removeEventListener('abort', stop);
    res.destroy();
  }
}

async function openFollowing(start: URL, opts: SafeFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const target = await untilAborted(resolveTarget(url, opts.testAllowance), signal);
    const res = await requestOnce(url, target, opts.headers ?? {}, signal);
    const status = res.statusCode ?? 0;
    if (redirectStatuses.has(status)) {
      res.destroy();
      const location = res.headers.location;
      if (!location) throw new DownloadFailed(`HTTP ${status} redirect without a Location header`);
      if (hop >= opts.maxRedirects) throw new DownloadRefused(`too many redirects (more than ${opts.maxRedirects})`);
      url = checkUrl(location, url);
      continue;
    }
    if (status < 200 || status > 299) {
      res.destroy();
      throw new DownloadFailed(`unexpected HTTP status ${status}`);
    }
    return res;
  }
}

function requestOnce(url: URL, target: CheckedTarget, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // No agent: a pooled socket could outlive the check it was opened under.
    const req = client.request(url, { method: 'GET', headers, lookup: target.lookup, agent: false, signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function tooLarge(maxBytes: number): DownloadFailed {
  return new DownloadFailed(`file is larger than ${maxBytes} bytes`);
}

/** DNS lookups take no signal: the deadline still ends the wait for one. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function explain(err: unknown, signal: AbortSignal, opts: SafeFetchOptions): Error {
  if (err instanceof DownloadRefused || err instanceof DownloadFailed) return err;
  if (signal.aborted) return new DownloadFailed(`download did not finish within ${opts.timeoutMs} ms`);
  const code = (err as NodeJS.ErrnoException).code;
  // Node's words for a response whose connection ended mid-body
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || (err as Error).message === 'aborted') return new DownloadFailed('the connection closed before the file was complete');
  return new DownloadFailed(err instanceof Error ? err.message : String(err));
}
