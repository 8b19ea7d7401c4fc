import { rmSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError, toAppError } from '../errors.ts';
import { sendError } from '../http/bind.ts';
import { jsonBody } from '../http/json-body.ts';
import { actorUuid } from '../rpc/caller.ts';
import { MultipartError, readMultipart } from './multipart.ts';
import type { UploadPurpose, Uploader } from './purposes.ts';
import type { UploadService } from './upload-service.ts';

export const uploaderOf = (request: FastifyRequest): Uploader => ({ ip: request.ip, actor: actorUuid(request.caller) });

/**
 * Runs `after` once the answer has left, so a restart never cuts it off; or once the connection
 * is gone, when the client left before its answer (`finish` never comes then, and a restore
 * waiting for it would hold the restore lock and its staged files for ever).
 */
export function afterAnswer(reply: FastifyReply, after: () => Promise<void>): void {
  let ran = false;
  const run = () => {
    if (ran) return;
    ran = true;
    setImmediate(() => void after());
  };
  reply.raw.once('finish', run);
  reply.raw.once('close', run);
  // The client may have left while the request was being handled: its close was before this.
  if (reply.raw.destroyed || reply.raw.socket === null || reply.raw.socket.destroyed) run();
}

function ok(reply: FastifyReply, data: unknown, message = ''): FastifyReply {
  return reply.send({ status: 'success', message, data });
}

function fail(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof AppError)) request.log.error({ err }, 'upload failed');
  return sendError(reply, toAppError(err));
}

/** The JSON body as an object, or Komari's `invalid request: …` answer. */
function objectBody(request: FastifyRequest): Record<string, unknown> {
  const body = jsonBody(request);
  if (!body.ok) throw AppError.invalidParams(`invalid request: ${body.error}`);
  const v = body.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw AppError.invalidParams('invalid request: the body must be a JSON object');
  return v as Record<string, unknown>;
}

function uploadIdOf(request: FastifyRequest): string {
  const id = objectBody(request).upload_id;
  if (typeof id !== 'string' || id === '') throw AppError.invalidParams('invalid upload id');
  return id;
}

/**
 * `POST /api/admin/upload/init|merge|cancel` (JSON). `/upload/chunk` reads its body as a stream
 * and is registered by `registerUploadChunkRoute` in a context without the text body parser.
 */
export function registerUploadRoutes(fastify: FastifyInstance, app: AppContext, uploads: UploadService, purposes: readonly UploadPurpose[]): void {
  fastify.post('/api/admin/upload/init', async (request, reply) => {
    try {
      const body = objectBody(request);
      const { purpose, size, filename = '' } = body;
      if (typeof purpose !== 'string' || purpose === '') throw AppError.invalidParams('invalid request: purpose is required');
      if (typeof size !== 'number') throw AppError.invalidParams('invalid request: size is required');
      if (typeof filename !== 'string' || filename.length > 1024) throw AppError.invalidParams('invalid request: filename must be a string of at most 1024 characters');
      return ok(reply, uploads.init(purpose, size, filename));
    } catch (err) {
      return fail(request, reply, err);
    }
  });

  fastify.post('/api/admin/upload/merge', async (request, reply) => {
    try {
      const merged = await uploads.merge(uploadIdOf(request));
      const purpose = purposes.find((p) => p.name === merged.purpose)!;
      const who = uploaderOf(request);
      try {
        await app.audit.log(who.ip, who.actor, `upload ${merged.purpose} ${merged.filename} (${merged.size} bytes)`, 'info');
        const finished = await purpose.finish(merged, who);
        if (finished.afterAnswer) afterAnswer(reply, finished.afterAnswer);
        return ok(reply, finished.data, finished.message);
      } finally {
        uploads.discard(merged);
      }
    } catch (err) {
      return fail(request, reply, err);
    }
  });

  fastify.post('/api/admin/upload/cancel', async (request, reply) => {
    try {
      uploads.cancel(uploadIdOf(request));
      return ok(reply, {});
    } catch (err) {
      return fail(request, reply, err);
    }
  });
}

/** `POST /api/admin/upload/chunk`: multipart `upload_id`, `chunk_index`, `chunk_data`. */
export function registerUploadChunkRoute(fastify: FastifyInstance, app: AppContext, uploads: UploadService): void {
  fastify.post('/api/admin/upload/chunk', async (request, reply) => {
    const limits = app.limits.upload;
    const file = uploads.incomingPath();
    try {
      let form;
      try {
        form = await readMultipart(request.raw, 'chunk_data', file, { maxBodyBytes: limits.maxChunkRequestBytes, maxFileBytes: limits.maxChunkRequestBytes });
      } catch (err) {
        // The rest of a refused body is not worth reading: the connection goes with the answer.
        if (err instanceof MultipartError) reply.header('connection', 'close');
        if (err instanceof MultipartError) throw AppError.invalidParams(`get chunk data: ${err.message}`);
        throw err;
      }
      const index = /^-?\d+$/.test(form.fields.chunk_index ?? '') ? Number(form.fields.chunk_index) : NaN;
      if (!Number.isSafeInteger(index)) throw AppError.invalidParams('chunk_index must be an integer');
      if (!form.file) throw AppError.invalidParams('get chunk data: http: no such file');
      const upload = uploads.hold(form.fields.upload_id ?? '');
      try {
        uploads.putChunk(upload, index, file, form.file.bytes);
      } finally {
        uploads.release(upload);
      }
      return ok(reply, { received: true, chunk_index: index });
    } catch (err) {
      return fail(request, reply, err);
    } finally {
      rmSync(file, { force: true });
    }
  });
}
