import type { FastifyError, FastifyInstance } from 'fastify';

const mib = 1024 * 1024;

/** Komari's way of naming an upload limit: `5MB`, or the bytes when it is not whole MiB. */
function sizeText(bytes: number): string {
  return bytes % mib === 0 ? `${bytes / mib}MB` : `${bytes} bytes`;
}

/**
 * Registers routes whose body is a file's raw bytes (a favicon, a GeoIP database): in their own
 * scope every content type is read as a Buffer of at most `maxBytes`, and a larger body is answered
 * with Komari's 413 `File too large. Maximum size is …`. Give each route `{ bodyLimit: maxBytes }`
 * too: Fastify checks the route's limit before the parser's.
 */
export function registerRawBodyRoutes(fastify: FastifyInstance, maxBytes: number, routes: (scope: FastifyInstance) => void): void {
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: FastifyError, _request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(413).send({ status: 'error', message: `File too large. Maximum size is ${sizeText(maxBytes)}` });
      }
      throw err;
    });
    routes(scope);
  });
}

/** The raw body of a route in such a scope; empty when none was sent. */
export function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
