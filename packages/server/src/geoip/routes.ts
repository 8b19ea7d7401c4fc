import { failureStatusOf } from '../errors.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { rawBody, registerRawBodyRoutes } from '../http/raw-body-scope.ts';
import { actorUuid } from '../rpc/caller.ts';
import { InvalidCountryDb } from './country-db.ts';

/**
 * `POST /api/admin/update/mmdb` (admin-api.md §3.7). Komari downloads a database from the
 * internet; komari-ts makes no outbound lookups, so the request body is the new `.mmdb` itself
 * (raw bytes, at most `limits.geoip.maxUploadBytes`), opened and checked before it replaces
 * anything. An empty body goes back to the bundled database.
 */
export function registerGeoipRoutes(fastify: FastifyInstance, app: AppContext): void {
  const maxBytes = app.limits.geoip.maxUploadBytes;
  registerRawBodyRoutes(fastify, maxBytes, (scope) => {
    scope.post('/api/admin/update/mmdb', { bodyLimit: maxBytes }, async (request, reply) => {
      const body = rawBody(request.body);
      try {
        await app.geoip.replace(body);
      } catch (err) {
        const bad = err instanceof InvalidCountryDb;
        if (!bad) request.log.error({ err }, 'GeoIP database update failed');
        const message = `Failed to update GeoIP database: ${err instanceof Error ? err.message : String(err)}`;
        return reply.code(bad ? 400 : failureStatusOf(err)).send({ status: 'error', message });
      }
      await app.audit.log(request.ip, actorUuid(request.caller), 'GeoIP database updated', 'info');
      return reply.send({ status: 'success', message: '' });
    });
  });
}
