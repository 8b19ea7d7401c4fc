import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { actorUuid } from '../rpc/caller.ts';
import { writeBackup } from './export.ts';

/**
 * `GET /api/admin/download/backup` (admin-api.md §11.1): the archive is written to
 * `data/backup/` first (Komari keeps that copy too), then streamed. One backup at a time: a
 * second request waits for the first, so two snapshots never run at once.
 */
export function registerBackupRoutes(fastify: FastifyInstance, app: AppContext, dataDir: string): void {
  let running: Promise<unknown> = Promise.resolve();
  fastify.get('/api/admin/download/backup', async (request, reply) => {
    const made = running.then(() => writeBackup(app, dataDir));
    running = made.catch(() => undefined);
    let archive;
    try {
      archive = await made;
    } catch (err) {
      request.log.error({ err }, 'backup failed');
      return reply.code(500).send({ status: 'error', message: `Error creating backup: ${(err as Error).message}` });
    }
    await app.audit.log(request.ip, actorUuid(request.caller), `download backup ${archive.name}`, 'info');
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${archive.name}"`)
      .header('content-length', archive.size)
      .send(createReadStream(archive.path));
  });
}
