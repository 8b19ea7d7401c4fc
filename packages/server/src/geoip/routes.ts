import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { actorUuid } from '../rpc/caller.ts';
import { InvalidCountryDb } from './country-db.ts';

const mib = 1024 * 1024;

/**
 * `POST /api/admin/update/mmdb` (admin-api.md §3.7). Komari downloads a database from the
 * internet; komari-ts makes no outbound lookups, so the request body is the new `.mmdb` itself
 * (raw bytes, at most `limits.geoip.maxUploadBytes`), opened and checked before it replaces
 * anything. An empty body goes back to the bundled database.
 */
export function registerGeoipRoutes(fastify: FastifyInstance, app: AppContext): void {
  const maxBytes = app.limits.geoip.maxUploadBytes;
  void fastify.register(async (scope) => {
    // This scope alone reads bodies as bytes: the file is binary.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: FastifyError, _request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(413).send({ status: 'error', message: `File too large. Maximum size is ${sizeText(maxBytes)}` });
      }
      throw err;
    });
    scope.post('/api/admin/update/mmdb', { bodyLimit: maxBytes }, async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      try {
        await app.geoip.replace(body);
      } catch (err) {
        const bad = err instanceof InvalidCountryDb;
        if (!bad) request.log.error({ err }, 'GeoIP database update failed');
        const message = `Failed to update GeoIP database: ${err instanceof Error ? err.message : String(err)}`;
        return reply.code(bad ? 400 : 500).send({ status: 'error', message });
      }
      await app.audit.log(request.ip, actorUuid(request.caller), 'GeoIP database updated', 'info');
      return reply.send({ status: 'success', message: '' });
    });
  });
}

function sizeText(bytes: number): string {
  return bytes % mib === 0 ? `${bytes / mib}MB` : `${bytes} bytes`;
}
