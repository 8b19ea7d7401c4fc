import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { rawBody, registerRawBodyRoutes } from '../http/raw-body-scope.ts';
import { actorUuid } from '../rpc/caller.ts';
import { imageType } from './image-kind.ts';

/** Where an uploaded favicon lives: the same name the backup and the restore carry (backup/export.ts). */
export function faviconPath(dataDir: string): string {
  return join(dataDir, 'favicon.ico');
}

/**
 * `PUT /api/admin/update/favicon` (raw image bytes) and `POST /api/admin/update/favicon` (delete),
 * admin-api.md §3.7. Komari stores any bytes; komari-ts takes only what its first bytes show to
 * be an image, since the file is served on this origin.
 */
export function registerFaviconRoutes(fastify: FastifyInstance, app: AppContext, dataDir: string): void {
  const maxBytes = app.limits.themeServing.maxFaviconBytes;
  const file = faviconPath(dataDir);
  registerRawBodyRoutes(fastify, maxBytes, (scope) => {
    scope.put('/api/admin/update/favicon', { bodyLimit: maxBytes }, async (request, reply) => {
      const body = rawBody(request.body);
      if (!imageType(body)) {
        return reply.code(400).send({ status: 'error', message: 'Invalid image file: expected ICO, PNG, GIF, JPEG, WebP or BMP' });
      }
      // Written beside and renamed: a reader never sees half an icon.
      const partial = `${file}.uploading`;
      writeFileSync(partial, body);
      renameSync(partial, file);
      await app.audit.log(request.ip, actorUuid(request.caller), 'Favicon uploaded', 'info');
      return reply.send({ status: 'success', message: '' });
    });

    scope.post('/api/admin/update/favicon', async (request, reply) => {
      try {
        unlinkSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        return reply.code(404).send({ status: 'error', message: 'Favicon not found' });
      }
      await app.audit.log(request.ip, actorUuid(request.caller), 'Favicon deleted', 'info');
      return reply.send({ status: 'success', message: '' });
    });
  });
}

/**
 * Answers `/favicon.ico` with the uploaded icon, if there is one (true), as a plain file with
 * `Last-Modified` and `If-Modified-Since` (304), as Komari's http.ServeFile does (themes.md §4.1).
 */
export function sendUploadedFavicon(dataDir: string, request: FastifyRequest, reply: FastifyReply): boolean {
  const file = faviconPath(dataDir);
  let mtimeMs: number;
  let bytes: Buffer;
  try {
    // Read whole (an upload is at most maxFaviconBytes): a stream could race a replace.
    const st = statSync(file);
    if (!st.isFile()) return false;
    mtimeMs = st.mtimeMs;
    bytes = readFileSync(file);
  } catch {
    return false;
  }
  const modified = Math.floor(mtimeMs / 1000) * 1000;
  reply.header('last-modified', new Date(modified).toUTCString()).header('x-content-type-options', 'nosniff');
  const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
  if (!Number.isNaN(since) && modified <= since) {
    void reply.code(304).send();
    return true;
  }
  void reply.type(imageType(bytes) ?? 'image/x-icon').send(bytes);
  return true;
}
