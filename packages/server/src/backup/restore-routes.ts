import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { MultipartError, readMultipart } from '../upload/multipart.ts';
import type { UploadPurpose } from '../upload/purposes.ts';
import { afterAnswer, uploaderOf } from '../upload/routes.ts';
import type { UploadService } from '../upload/upload-service.ts';
import { restoreBusy, uploadedMessage, type RestoreService } from './restore-service.ts';

/** The chunked upload's "backup" purpose (admin-api.md §11.2 step 3): validate, then restore. */
export function backupPurpose(restore: RestoreService): UploadPurpose {
  return {
    name: 'backup',
    async finish(upload, who) {
      const accepted = await restore.accept(upload.path, upload.filename, who);
      return { message: uploadedMessage, data: accepted.answer, afterAnswer: accepted.apply };
    },
  };
}

/** `GET /api/admin/backup/status`: a restore under way, and how the last one ended. */
export function registerRestoreStatusRoute(fastify: FastifyInstance, restore: RestoreService): void {
  fastify.get('/api/admin/backup/status', async () => ({ status: 'success', message: '', data: restore.status() }));
}

/**
 * `POST /api/admin/upload/backup` (admin-api.md §11.4, Komari ≤ 1.4.2): the archive as the
 * multipart field `backup` in one request, streamed to disk. Komari's answer has `path` at the
 * top level and a capitalised 409 when a restore is under way. Registered in a context without
 * the text body parser.
 */
export function registerSingleBackupUpload(fastify: FastifyInstance, app: AppContext, uploads: UploadService, restore: RestoreService): void {
  fastify.post('/api/admin/upload/backup', async (request, reply) => {
    const busy = () => reply.code(409).send({ status: 'error', message: 'Another restore operation is already in progress' });
    if (restore.status().restoring) {
      request.raw.resume();
      return busy();
    }
    const file = uploads.incomingPath();
    try {
      const max = app.limits.upload.maxUploadBytes;
      const form = await readMultipart(request.raw, 'backup', file, { maxBodyBytes: max + 64 * 1024, maxFileBytes: max });
      if (!form.file) throw AppError.invalidParams('get backup file: http: no such file');
      const who = uploaderOf(request);
      await app.audit.log(who.ip, who.actor, `upload backup ${form.file.filename} (${form.file.bytes} bytes)`, 'info');
      const accepted = await restore.accept(file, form.file.filename, who);
      afterAnswer(reply, accepted.apply);
      const { path: _path, ...rest } = accepted.answer;
      return reply.send({ status: 'success', message: uploadedMessage, path: './data/backup.zip', ...rest });
    } catch (err) {
      if (err instanceof AppError && err.message === restoreBusy) return busy();
      if (err instanceof MultipartError) return reply.code(400).header('connection', 'close').send({ status: 'error', message: `get backup file: ${err.message}` });
      if (err instanceof AppError) return reply.code(400).send({ status: 'error', message: err.message });
      request.log.error({ err }, 'backup upload failed');
      return reply.code(500).send({ status: 'error', message: 'Internal server error' });
    } finally {
      rmSync(file, { force: true });
    }
  });
}
