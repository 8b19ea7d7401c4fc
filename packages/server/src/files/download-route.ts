import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid } from '../rpc/caller.ts';
import { checkFileAccess, checkPreviewAccess } from './access.ts';
import { contentDisposition, contentTypeOf, ifRangeMatches, mtimeOf, parseRange } from './download-headers.ts';
import { FileError } from './errors.ts';
import { callAgentFile } from './file-calls.ts';
import { abortOnClose, ok, queryString, sendFileError } from './http-util.ts';
import { baseName, checkPath } from './paths.ts';
import { openDownloadChunk, type OpenChunk } from './stream-chunk.ts';

interface FileMeta {
  size: number;
  mtime: { ms: number; ns: bigint };
  modifiedAt: unknown;
  name: string;
}

interface Plan {
  uuid: string;
  path: string;
  meta: FileMeta;
  start: number;
  /** bytes to send from `start` */
  length: number;
  chunkSize: number;
}

/** The `stat` before a download: a regular file with a sane size, or the reason why not. */
async function statFile(app: AppContext, uuid: string, path: string, signal: AbortSignal): Promise<FileMeta> {
  const info = await callAgentFile(app, uuid, 'stat', { path }, { timeoutMs: app.limits.files.statTimeoutMs, signal });
  const o = info !== null && typeof info === 'object' ? (info as Record<string, unknown>) : undefined;
  if (!o) throw new FileError('agent', 'invalid file metadata from the agent');
  if (o.is_dir === true) throw AppError.invalidParams('cannot download a directory');
  const mtime = mtimeOf(o.modified_at);
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0 || !mtime) throw new FileError('agent', 'invalid file metadata from the agent');
  return { size: o.size, mtime, modifiedAt: o.modified_at, name: typeof o.name === 'string' && o.name !== '' ? o.name : baseName(path) };
}

/**
 * Opens one chunk's transfer, again while it fails (up to `downloadAttempts`): only ever before a
 * byte of it went out, so the browser never gets a byte twice. A 413, or a second failure, halves
 * the chunk (aligned to the smallest chunk), and the size is remembered for the client.
 */
async function openWithRetries(app: AppContext, plan: Plan, offset: number, index: number, signal: AbortSignal): Promise<{ chunk: OpenChunk; length: number }> {
  const limits = app.limits.files;
  for (let attempt = 1; ; attempt++) {
    const length = Math.min(plan.chunkSize, plan.start + plan.length - offset);
    const args = { path: plan.path, offset, chunk_index: index, file_size: plan.meta.size, modified_at: plan.meta.modifiedAt };
    try {
      return { chunk: await openDownloadChunk(app, plan.uuid, args, length, signal), length };
    } catch (err) {
      if (signal.aborted || attempt >= limits.downloadAttempts || !(err instanceof FileError) || !['agent', 'tooLarge', 'timeout'].includes(err.kind)) throw err;
      if (err.kind === 'tooLarge' || attempt >= 2) shrink(app, plan);
      await sleep(limits.downloadRetryBaseMs * attempt, undefined, { signal }).catch(() => undefined);
    }
  }
}

function shrink(app: AppContext, plan: Plan): void {
  const min = app.limits.files.minChunkBytes;
  const next = Math.max(min, Math.floor(plan.chunkSize / 2 / min) * min);
  if (next === plan.chunkSize) return;
  plan.chunkSize = next;
  app.files.chunkSizes.set(plan.uuid, next);
}

/** Waits until `res` takes more, or fails when the browser has gone. */
async function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed) throw new FileError('cancelled', 'the browser went away');
  const ac = new AbortController();
  try {
    await Promise.race([once(res, 'drain', { signal: ac.signal }), once(res, 'close', { signal: ac.signal }).then(() => {
      throw new FileError('cancelled', 'the browser went away');
    })]);
  } finally {
    ac.abort();
  }
}

/**
 * Relays the planned bytes chunk by chunk, each through its own `download_stream` transfer.
 * A piece is written only when the browser has taken the previous ones: memory stays at a socket
 * buffer whatever the file size. `first` is the chunk opened before the headers went out.
 */
async function relay(app: AppContext, plan: Plan, res: ServerResponse, first: { chunk: OpenChunk; length: number }, signal: AbortSignal): Promise<void> {
  let offset = plan.start;
  let index = 0;
  let next: { chunk: OpenChunk; length: number } | undefined = first;
  while (offset < plan.start + plan.length) {
    const open: { chunk: OpenChunk; length: number } = next ?? (await openWithRetries(app, plan, offset, index, signal));
    next = undefined;
    let failure: Error | undefined = new FileError('cancelled', 'the download was interrupted');
    try {
      for await (const piece of open.chunk.body) {
        if (!res.write(piece)) await drained(res);
      }
      failure = undefined;
      await open.chunk.finish();
    } catch (err) {
      // The agent's request hears why (a body of the wrong length is its own fault: 400).
      failure = err as Error;
      throw err;
    } finally {
      if (failure) await open.chunk.finish(failure);
    }
    offset += open.length;
    index++;
  }
}

interface DownloadOptions {
  uuid: string;
  path: string;
  inline: boolean;
  /** preview: the ASCII name to give, and no `filename*` */
  previewName?: string;
}

/** The download of §2.4, for the admin route and the preview route alike. */
async function serveDownload(app: AppContext, request: FastifyRequest, reply: FastifyReply, o: DownloadOptions): Promise<FastifyReply | undefined> {
  const limits = app.limits.files;
  const ac = abortOnClose(reply);
  let plan: Plan;
  let first: { chunk: OpenChunk; length: number } | undefined;
  let status = 200;
  const headers: Record<string, string | number> = {};
  try {
    const wanted = queryString(request, 'chunk_size');
    let cap = Infinity;
    if (wanted !== '') {
      cap = /^\d+$/.test(wanted) ? Number(wanted) : NaN;
      if (!(cap >= limits.minChunkBytes && cap <= limits.maxChunkBytes)) {
        throw AppError.invalidParams(`invalid request: chunk_size must be between ${limits.minChunkBytes} and ${limits.maxChunkBytes}`);
      }
    }
    const meta = await statFile(app, o.uuid, o.path, ac.signal);
    const etag = `"${meta.size.toString(16)}-${meta.mtime.ns.toString(16)}"`;
    const ifRange = request.headers['if-range'];
    const rangeHeader = ifRangeMatches(typeof ifRange === 'string' ? ifRange : undefined, etag, meta.mtime.ms) ? request.headers.range : undefined;
    const range = parseRange(rangeHeader, meta.size);
    if (range.kind === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${meta.size}`).send({ status: 'error', message: 'requested range not satisfiable' });
    }
    const start = range.kind === 'partial' ? range.start : 0;
    const length = range.kind === 'partial' ? range.end - range.start + 1 : meta.size;
    const chunkSize = Math.min(app.files.chunkSizes.get(o.uuid) ?? limits.defaultChunkBytes, cap);
    plan = { uuid: o.uuid, path: o.path, meta, start, length, chunkSize };
    if (range.kind === 'partial') {
      status = 206;
      headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
    }
    Object.assign(headers, {
      'content-type': contentTypeOf(meta.name),
      'content-disposition': contentDisposition(o.previewName ?? meta.name, o.inline, o.previewName !== undefined),
      'accept-ranges': 'bytes',
      'content-length': length,
      'content-encoding': 'identity',
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
      'x-komari-transfer-chunk-size': chunkSize,
      etag,
      'last-modified': new Date(meta.mtime.ms).toUTCString(),
    });
    // The first chunk is opened before the headers go out, so its failure is still a status.
    if (request.method !== 'HEAD' && length > 0) first = await openWithRetries(app, plan, start, 0, ac.signal);
  } catch (err) {
    return sendFileError(request, reply, err);
  }

  const res = reply.raw;
  reply.hijack();
  res.writeHead(status, { ...(reply.getHeaders() as Record<string, string>), ...headers });
  if (!first) {
    res.end();
    if (request.method !== 'HEAD') await auditDownload(app, request, o, 0);
    return undefined;
  }
  try {
    await relay(app, plan, res, first, ac.signal);
    res.end();
    await auditDownload(app, request, o, plan.length);
  } catch (err) {
    request.log.info({ uuid: o.uuid, err: (err as Error).message }, 'file download ended early');
    res.destroy();
  }
  return undefined;
}

async function auditDownload(app: AppContext, request: FastifyRequest, o: DownloadOptions, bytes: number): Promise<void> {
  await app.audit.log(request.ip, actorUuid(request.caller), `file download: ${o.uuid}:${o.path} (${bytes} bytes)`, 'info');
}

const truthy = (v: string) => v === '1' || v === 'true';

/**
 * `GET|HEAD /api/admin/client/:uuid/file/download`, `GET /api/admin/client/:uuid/file/preview-token`
 * and the public `GET|HEAD /api/preview/client/:uuid/file/download` (komari-1.5.md §2.4).
 */
export function registerDownloadRoutes(fastify: FastifyInstance, app: AppContext): void {
  const limits = app.limits.files;
  const pathOf = (request: FastifyRequest) => {
    const path = queryString(request, 'path');
    if (path === '') throw AppError.invalidParams('path is required');
    return checkPath(path, limits.maxPathChars);
  };

  fastify.route({
    method: ['GET', 'HEAD'],
    url: '/api/admin/client/:uuid/file/download',
    handler: async (request, reply) => {
      const uuid = (request.params as { uuid: string }).uuid;
      let path;
      try {
        path = pathOf(request);
        await checkFileAccess(app, uuid, request.caller, request.query);
      } catch (err) {
        return sendFileError(request, reply, err);
      }
      return serveDownload(app, request, reply, { uuid, path, inline: truthy(queryString(request, 'inline')) });
    },
  });

  fastify.get('/api/admin/client/:uuid/file/preview-token', async (request, reply) => {
    const uuid = (request.params as { uuid: string }).uuid;
    try {
      const path = pathOf(request);
      await checkFileAccess(app, uuid, request.caller, request.query);
      const { token, expiresIn } = app.files.previews.issue(uuid, path);
      return ok(reply, { token, expires_in: expiresIn });
    } catch (err) {
      return sendFileError(request, reply, err);
    }
  });

  fastify.route({
    method: ['GET', 'HEAD'],
    url: '/api/preview/client/:uuid/file/download',
    handler: async (request, reply) => {
      const uuid = (request.params as { uuid: string }).uuid;
      const path = app.files.previews.pathOf(queryString(request, 'preview_token'), uuid);
      const asked = queryString(request, 'path');
      if (path === undefined || (asked !== '' && asked !== path)) {
        return reply.code(401).send({ status: 'error', message: 'Invalid or expired preview token' });
      }
      try {
        await checkPreviewAccess(app, uuid, request.caller);
      } catch (err) {
        return sendFileError(request, reply, err);
      }
      const name = queryString(request, 'filename');
      const previewName = name === '' ? 'komari-preview' : name.slice(0, limits.maxPathChars);
      return serveDownload(app, request, reply, { uuid, path, inline: truthy(queryString(request, 'inline')), previewName });
    },
  });
}
