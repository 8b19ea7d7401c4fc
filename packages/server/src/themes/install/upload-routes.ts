import { createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { AppError, toAppError } from '../../errors.ts';
import { sendError } from '../../http/bind.ts';
import { tooMany } from '../../http/too-many.ts';
import type { UploadPurpose } from '../../upload/purposes.ts';
import { uploaderOf } from '../../upload/routes.ts';
import type { UploadService } from '../../upload/upload-service.ts';
import { byteCounter } from '../../util/safe-zip.ts';
import { installThemeZip } from './install-theme.ts';

export const uploadMessages = {
  uploaded: '主题上传成功',
  noFile: '请选择要上传的主题文件',
  tooLarge: (max: number) => `主题文件超过 ${max} 字节限制`,
  busy: '同时上传的主题过多，请稍后再试',
} as const;

/** The chunked upload's "theme" purpose (themes.md §8.2): the merged file is installed. */
export function themePurpose(app: AppContext): UploadPurpose {
  return {
    name: 'theme',
    async finish(upload, who) {
      const { manifest } = await installThemeZip(app, upload.path);
      await app.audit.log(who.ip, who.actor, `install theme ${manifest.short} from ${upload.filename || 'an upload'}`, 'info');
      return { message: uploadMessages.uploaded, data: manifest };
    },
  };
}

/**
 * `PUT /api/admin/theme/upload` (themes.md §8.2, Komari 2025-07 → 2026-08): the raw zip as the
 * body, streamed to a file under the uploads folder and bounded by `limits.themes.maxPutBytes`,
 * then installed. Registered in a context without the text body parser.
 */
export function registerThemePutUpload(fastify: FastifyInstance, app: AppContext, uploads: UploadService): void {
  let running = 0;
  fastify.put('/api/admin/theme/upload', async (request, reply) => {
    if (running >= app.limits.themes.maxConcurrentPuts) {
      request.raw.resume();
      return tooMany(reply.header('connection', 'close'), 10, { message: uploadMessages.busy });
    }
    running++;
    try {
      return await receive(request, reply);
    } finally {
      running--;
    }
  });

  async function receive(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const max = app.limits.themes.maxPutBytes;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      request.raw.resume();
      return sendError(reply.header('connection', 'close'), AppError.invalidParams(uploadMessages.tooLarge(max)));
    }
    const file = uploads.incomingPath();
    try {
      let bytes = 0;
      try {
        const counted = byteCounter((n) => {
          bytes += n;
          return bytes > max ? AppError.invalidParams(uploadMessages.tooLarge(max)) : undefined;
        });
        await pipeline(request.raw, counted, createWriteStream(file, { mode: 0o600 }));
      } catch (err) {
        // The rest of a refused body is not worth reading: the connection goes with the answer.
        reply.header('connection', 'close');
        throw err instanceof AppError ? err : AppError.invalidParams(`读取主题文件失败: ${(err as Error).message}`);
      }
      if (bytes === 0) throw AppError.invalidParams(uploadMessages.noFile);
      const who = uploaderOf(request);
      const { manifest } = await installThemeZip(app, file);
      await app.audit.log(who.ip, who.actor, `install theme ${manifest.short} from an upload (${bytes} bytes)`, 'info');
      return reply.send({ status: 'success', message: uploadMessages.uploaded, data: manifest });
    } catch (err) {
      if (!(err instanceof AppError)) request.log.error({ err }, 'theme upload failed');
      return sendError(reply, toAppError(err));
    } finally {
      rmSync(file, { force: true });
    }
  }
}
