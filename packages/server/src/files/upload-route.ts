import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid } from '../rpc/caller.ts';
import { checkFileAccess } from './access.ts';
import { FileError, fileTexts } from './errors.ts';
import { callAgentFile } from './file-calls.ts';
import { abortOnClose, ok, queryOrHeader, queryString, readJsonObject, sendFileError } from './http-util.ts';
import { checkPath } from './paths.ts';
import { streamUploadChunk } from './stream-chunk.ts';
import type { UploadSession } from './upload-sessions.ts';

const operations = ['init', 'chunk', 'merge', 'cancel'] as const;
type Operation = (typeof operations)[number];

function integer(value: unknown, name: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw AppError.invalidParams(`invalid request: ${name} must be an integer`);
  return n;
}

/** Bytes chunk `index` of a session carries: every chunk is `chunkSize` but the last. */
const chunkLength = (s: UploadSession, index: number) => Math.min(s.chunkSize, s.size - index * s.chunkSize);

function uploadIdOf(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{32}$/.test(value)) throw new FileError('unknownToken', fileTexts.unknownUpload);
  return value;
}

async function auditUpload(app: AppContext, request: FastifyRequest, uuid: string, path: string, size: number): Promise<void> {
  await app.audit.log(request.ip, actorUuid(request.caller), `file upload: ${uuid}:${path} (${size} bytes)`, 'info');
}

/**
 * `POST /api/admin/client/:uuid/file/upload?operation=init|chunk|merge|cancel` (komari-1.5.md
 * §2.4). Chunks go to the agent in order through `upload_stream` transfers; init of an empty
 * file is the agent's `create`.
 */
export function registerUploadRoute(fastify: FastifyInstance, app: AppContext): void {
  const limits = app.limits.files;
  const uploads = app.files.uploads;

  const handlers: Record<Operation, (request: FastifyRequest, uuid: string, ac: AbortController) => Promise<unknown>> = {
    async init(request, uuid) {
      const body = await readJsonObject(request, limits.maxControlBodyBytes);
      if (typeof body.path !== 'string' || body.path === '') throw AppError.invalidParams('path is required');
      const path = checkPath(body.path, limits.maxPathChars);
      const size = integer(body.size ?? 0, 'size');
      if (size < 0 || size > limits.maxUploadBytes) throw AppError.invalidParams(`invalid request: size must be between 0 and ${limits.maxUploadBytes}`);
      const chunkSize = body.chunk_size === undefined || body.chunk_size === null || body.chunk_size === 0 ? limits.defaultChunkBytes : integer(body.chunk_size, 'chunk_size');
      if (chunkSize < limits.minChunkBytes || chunkSize > limits.maxChunkBytes) {
        throw AppError.invalidParams(`invalid request: chunk_size must be between ${limits.minChunkBytes} and ${limits.maxChunkBytes}`);
      }
      await checkFileAccess(app, uuid, request.caller, body);
      if (size === 0) {
        await callAgentFile(app, uuid, 'create', { path });
        await auditUpload(app, request, uuid, path, 0);
        return { complete: true, chunk_size: chunkSize };
      }
      const s = uploads.open({ uuid, path, size, chunkSize, ip: request.ip, actor: actorUuid(request.caller) });
      return { upload_id: s.id, chunk_size: s.chunkSize, chunk_count: s.chunkCount, next_offset: 0, next_chunk_index: 0, complete: false };
    },

    async chunk(request, uuid, ac) {
      await checkFileAccess(app, uuid, request.caller, request.query);
      const s = uploads.get(uuid, uploadIdOf(queryOrHeader(request, 'upload_id', 'x-komari-upload-id')));
      const index = integer(queryOrHeader(request, 'chunk_index', 'x-komari-chunk-index'), 'chunk_index');
      if (index !== s.nextIndex) throw AppError.invalidParams(`invalid request: chunk ${s.nextIndex} is expected next, not ${index}`);
      if (s.busy) throw AppError.invalidParams('invalid request: a chunk of this upload is already streaming');
      const length = chunkLength(s, index);
      const declared = request.headers['content-length'];
      if (declared !== undefined && Number(declared) !== length) throw AppError.invalidParams(`invalid chunk size: expected ${length} bytes, got ${declared}`);
      uploads.hold(s);
      let advanced = false;
      try {
        const offset = index * s.chunkSize;
        const args = {
          path: s.path,
          upload_id: s.id,
          offset,
          chunk_index: index,
          chunk_count: s.chunkCount,
          total_size: s.size,
          chunk_size: s.chunkSize,
          first: index === 0,
          final: false,
        };
        await streamUploadChunk(app, uuid, args, request.raw, length, ac.signal);
        advanced = true;
        return { received: true, chunk_index: index, next_offset: offset + length };
      } finally {
        uploads.release(s, advanced);
      }
    },

    async merge(request, uuid) {
      const body = await readJsonObject(request, limits.maxControlBodyBytes);
      await checkFileAccess(app, uuid, request.caller, body);
      const s = uploads.get(uuid, uploadIdOf(body.upload_id));
      if (s.busy) throw AppError.invalidParams('invalid request: a chunk of this upload is still streaming');
      if (s.nextIndex !== s.chunkCount) throw AppError.invalidParams(`invalid request: the upload is incomplete (${s.nextIndex} of ${s.chunkCount} chunks)`);
      const args = {
        path: s.path,
        upload_id: s.id,
        chunk_index: s.chunkCount,
        chunk_count: s.chunkCount,
        total_size: s.size,
        chunk_size: s.chunkSize,
        offset: s.size,
        first: false,
        final: true,
      };
      try {
        await callAgentFile(app, uuid, 'upload_commit', args, { timeoutMs: limits.mergeTimeoutMs });
      } catch (err) {
        // A commit whose answer was lost and that is retried: the file is there when its size matches.
        if (!(err instanceof FileError && err.message.includes('unknown upload session'))) throw err;
        const info = (await callAgentFile(app, uuid, 'stat', { path: s.path }, { timeoutMs: limits.statTimeoutMs })) as { size?: unknown } | null;
        if (info?.size !== s.size) throw err;
      }
      uploads.remove(s.id);
      await auditUpload(app, request, uuid, s.path, s.size);
      return { complete: true };
    },

    async cancel(request, uuid) {
      const fromQuery = queryString(request, 'upload_id');
      const body = fromQuery === '' ? await readJsonObject(request, limits.maxControlBodyBytes, true) : {};
      await checkFileAccess(app, uuid, request.caller, body);
      const s = uploads.get(uuid, uploadIdOf(fromQuery || body.upload_id));
      uploads.remove(s.id);
      await callAgentFile(app, uuid, 'upload_cancel', { upload_id: s.id, path: s.path }).catch((err: unknown) =>
        request.log.info({ uuid, err: (err as Error).message }, 'cancelling a file upload on its agent failed'),
      );
      return { cancelled: true };
    },
  };

  fastify.post('/api/admin/client/:uuid/file/upload', async (request, reply) => {
    const operation = queryString(request, 'operation') || 'init';
    if (!(operations as readonly string[]).includes(operation)) return reply.code(404).send({ status: 'error', message: 'unknown upload operation' });
    const uuid = (request.params as { uuid: string }).uuid;
    const ac = abortOnClose(reply);
    try {
      return ok(reply, await handlers[operation as Operation](request, uuid, ac));
    } catch (err) {
      // A refused chunk's body is not read: the connection goes with the answer.
      if (operation === 'chunk' && !request.raw.readableEnded) reply.header('connection', 'close');
      return sendFileError(request, reply, err);
    }
  });
}
